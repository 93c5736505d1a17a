"""Static files finder: of django-ckeditor's 10 MB, publish only what the admin's editor loads."""

from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.staticfiles.finders import AppDirectoriesFinder

# The widget's own files (ckeditor.widgets.CKEditorWidget.media) ...
EDITOR_WIDGET_FILES = {"ckeditor/ckeditor.css", "ckeditor/ckeditor-init.js", "ckeditor/fixups.js"}
# ... and, under the editor's base path, what CKEditor fetches at run time: scripts, styles and
# images. Never its HTML (manual test and sample pages with inline script, which would be
# served from our own origin without the site's CSP), documentation, or build files.
EDITOR_BASE = "ckeditor/ckeditor/"
EDITOR_SUFFIXES = {".js", ".css", ".png", ".gif", ".svg", ".jpg"}
EDITOR_SKIPPED_FOLDERS = {"tests", "samples", "adapters"}


def editor_languages():
    """The editor's language files to keep: the site's language, its base and English."""
    code = settings.LANGUAGE_CODE.lower()
    return {f"{code}.js", f"{code.split('-')[0]}.js", "en.js"}


def is_published(path):
    """Whether a file of the django-ckeditor app is one the editor widget loads."""
    if path in EDITOR_WIDGET_FILES:
        return True
    if not path.startswith(EDITOR_BASE):
        return False  # the uploader's image browser (galleriffic, file icons): not used
    parts = PurePosixPath(path)
    if parts.suffix.lower() not in EDITOR_SUFFIXES:
        return False
    if EDITOR_SKIPPED_FOLDERS & set(parts.parts[:-1]):
        return False
    # Of the translations, only the site's language (and English, CKEditor's fallback).
    return parts.parent.name != "lang" or parts.name in editor_languages()


class AppDirectoriesFinder(AppDirectoriesFinder):
    """Django's finder for apps' static folders, with django-ckeditor's filtered by
    `is_published`, both for collectstatic and for serving in development and tests (so a
    file the editor needs but this leaves out fails in the browser tests, not in production)."""

    EDITOR_APP = "ckeditor"

    def list(self, ignore_patterns):
        editor = self.storages.get(self.EDITOR_APP)
        for path, storage in super().list(ignore_patterns):
            if storage is editor and not is_published(path):
                continue
            yield path, storage

    def find_in_app(self, app, path):
        if app == self.EDITOR_APP and not is_published(path):
            return None
        return super().find_in_app(app, path)
