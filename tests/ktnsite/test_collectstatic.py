"""collectstatic publishes what the pages and the admin's editor load, and no HTML page."""

import os

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic as production runs it: whitenoise's hashed, compressed storage."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return settings.STATIC_ROOT


def test_collectstatic_writes_no_html_and_keeps_what_the_editor_loads(collected):
    written = {p.relative_to(collected).as_posix() for p in collected.rglob("*") if p.is_file()}
    assert not [p for p in written if p.endswith((".html", ".htm"))]
    assert not [p for p in written if p.startswith("ckeditor/") and p.endswith((".md", ".json"))]
    for needed in [
        "css/site.css",
        "admin/js/core.js",
        "ckeditor/ckeditor-init.js",
        "ckeditor/fixups.js",
        "ckeditor/ckeditor.css",
        "ckeditor/ckeditor/ckeditor.js",
        "ckeditor/ckeditor/config.js",
        "ckeditor/ckeditor/styles.js",
        "ckeditor/ckeditor/contents.css",
        "ckeditor/ckeditor/lang/en-gb.js",
        "ckeditor/ckeditor/skins/moono-lisa/editor.css",
        "ckeditor/ckeditor/skins/moono-lisa/icons.png",
        "ckeditor/ckeditor/plugins/link/dialogs/link.js",
        "ckeditor/ckeditor/plugins/table/dialogs/table.js",
    ]:
        assert needed in written, needed
    assert "ckeditor/ckeditor/lang/fr.js" not in written
    assert not [p for p in written if "/samples/" in p or "/tests/" in p]


def test_the_editors_test_pages_are_not_served_in_development_either():
    assert finders.find("ckeditor/ckeditor/plugins/exportpdf/tests/manual/emptyeditor.html") is None
    assert finders.find("ckeditor/ckeditor/samples/index.html") is None
    assert finders.find("ckeditor/ckeditor/ckeditor.js")
