"""manage.py import_wordpress run again, on a broken or hostile export, and what it reports."""

import io

import pytest
from django.contrib.redirects.models import Redirect
from django.core.files.storage import default_storage
from django.core.management import CommandError
from django.db import connection

from ktnsite.demo.files import make_hero_image
from news.models import Post, WordPressItem
from reports.models import Report
from tests.factories import wxr_post
from tests.news.wordpress_export import (
    export_items,
    import_counts,
    imported_post,
    run_import,
    write_export,
)
from topics.models import Topic


@pytest.mark.django_db
def test_a_second_run_creates_nothing_twice_and_updates_what_changed(wordpress):
    from library.models import Image

    export, uploads = wordpress
    run_import(export, uploads)
    before = {
        model: model.objects.count()
        for model in (Post, Report, Topic, Redirect, WordPressItem, Image)
    }
    year = Image.objects.first().file.name.split("/")[1]
    files = sorted(default_storage.listdir(f"images/{year}")[1])

    again = run_import(export, uploads)

    assert {model: model.objects.count() for model in before} == before
    assert sorted(default_storage.listdir(f"images/{year}")[1]) == files
    for kind in ("posts", "topics", "images", "reports", "redirects"):
        assert import_counts(again, kind)["created"] == 0, kind
        assert import_counts(again, kind)["updated"] == 0, kind
    assert import_counts(again, "posts")["skipped"] == 4
    # Problems not yet solved are listed again.
    assert "gone.jpg: the file is not in the --media folder" in again

    items = export_items()
    items[0] = items[0].replace("KTN and UKRI release", "KTN and UKRI publish")
    write_export(export, items)
    changed = run_import(export, uploads)

    assert import_counts(changed, "posts") == {"created": 0, "updated": 1, "skipped": 3}
    assert imported_post(101).title.startswith("KTN and UKRI publish")
    assert Post.objects.count() == before[Post]


@pytest.mark.django_db
def test_an_editor_s_change_survives_a_second_run_of_an_unchanged_export(wordpress):
    export, uploads = wordpress
    run_import(export, uploads)
    Post.objects.filter(pk=imported_post(101).pk).update(standfirst="Edited here.")

    run_import(export, uploads)

    assert imported_post(101).standfirst == "Edited here."


@pytest.mark.django_db
def test_a_file_added_to_the_media_folder_later_is_picked_up(wordpress):
    export, uploads = wordpress
    run_import(export, uploads)
    (uploads / "2021" / "10" / "gone.jpg").write_bytes(make_hero_image())

    output = run_import(export, uploads)

    assert imported_post(103).hero_image.alt == "A missing picture"
    assert import_counts(output, "posts")["updated"] == 1
    assert "gone.jpg" not in output


@pytest.mark.django_db
def test_dry_run_changes_nothing_and_prints_the_same_report(wordpress):
    export, uploads = wordpress

    from library.models import Image

    dry = run_import(export, uploads, "--dry-run")

    for model in (Post, Report, Topic, Redirect, WordPressItem, Image):
        assert not model.objects.exists(), model
    for folder in ("images", "reports", "renditions"):
        assert not default_storage.exists(folder), folder
    real = run_import(export, uploads)
    assert dry.splitlines()[0] == "WordPress import (dry run: nothing was saved)"
    assert dry.splitlines()[1:] == real.splitlines()[1:]


@pytest.mark.django_db
def test_one_broken_item_does_not_stop_the_others(wordpress):
    export, uploads = wordpress
    broken = wxr_post(106, "Broken", slug="broken").replace(
        "<wp:post_id>106</wp:post_id>", "<wp:post_id>not-a-number</wp:post_id>"
    )
    write_export(export, [broken, *export_items()])

    output = run_import(export, uploads)

    assert Post.objects.count() == 3
    # A reason the editor understands, not a Python exception's text.
    assert (
        "post not-a-number “Broken”: not imported: its WordPress id “not-a-number” is not a number"
    ) in output
    assert import_counts(output, "posts") == {"created": 3, "updated": 0, "skipped": 2}


@pytest.mark.django_db
def test_an_entity_expansion_bomb_is_refused_without_expanding(tmp_path):
    bomb = (
        '<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    )
    export = tmp_path / "bomb.xml"
    write_export(
        export, [wxr_post(1, "&lol3;", slug="x").replace("&amp;lol3;", "&lol3;")], doctype=bomb
    )
    (tmp_path / "uploads").mkdir()

    with pytest.raises(CommandError, match="declares XML entities"):
        run_import(export, tmp_path / "uploads")
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_file_that_is_not_a_wordpress_export_gets_a_clear_message(tmp_path):
    export = tmp_path / "feed.xml"
    export.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>')

    with pytest.raises(CommandError, match="not a WordPress export"):
        run_import(export, tmp_path)


def test_the_progress_bar_counts_posts_on_one_line():
    from django.core.management.base import OutputWrapper

    from news.management.commands.import_wordpress import Progress

    out = io.StringIO()
    progress = Progress(OutputWrapper(out))
    for done in range(11):
        progress(done, 10)

    assert out.getvalue().startswith("\r[------------------------------] 0/10 posts")
    assert out.getvalue().endswith("\r[##############################] 10/10 posts\n")


@pytest.mark.django_db
def test_a_changed_image_file_replaces_the_library_image_instead_of_adding_one(wordpress, client):
    from library.models import Image

    export, uploads = wordpress
    run_import(export, uploads)
    hero = imported_post(101).hero_image
    images = Image.objects.count()
    (uploads / "2021" / "10" / "hero.jpg").write_bytes(make_hero_image(1000, 600, seed_offset=3))

    dry = run_import(export, uploads, "--dry-run")
    assert (Image.objects.count(), Image.objects.get(pk=hero.pk).width) == (images, hero.width)
    output = run_import(export, uploads)

    assert Image.objects.count() == images  # the same library image, given the new file
    replaced = imported_post(101).hero_image
    assert replaced.pk == hero.pk and (replaced.width, replaced.height) == (1000, 600)
    assert replaced.alt == "Scientists at a pilot line"
    assert import_counts(output, "images") == {"created": 0, "updated": 1, "skipped": 0}
    assert dry.splitlines()[1:] == output.splitlines()[1:]
    response = client.get("/wp-content/uploads/2021/10/hero.jpg", follow=True)
    assert response.redirect_chain == [(replaced.file.url, 301)]  # the new file, in one hop


@pytest.mark.django_db
def test_an_external_entity_is_refused_without_reading_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2")
    doctype = f'<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>\n'
    export = tmp_path / "external.xml"
    write_export(export, [wxr_post(1, "Leak", slug="x")], doctype=doctype)
    export.write_text(export.read_text().replace("<title>Leak</title>", "<title>&leak;</title>"))
    (tmp_path / "uploads").mkdir()

    with pytest.raises(CommandError, match="declares XML entities or refers to outside files"):
        run_import(export, tmp_path / "uploads")
    assert not Post.objects.exists()


def test_the_progress_bar_is_not_coloured_as_an_error_on_a_terminal():
    from django.core.management.base import OutputWrapper

    from news.management.commands.import_wordpress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    stderr = OutputWrapper(out)
    stderr.style_func = lambda text: f"<red>{text}</red>"  # what a command's stderr has
    Progress(stderr)(10, 10)

    assert out.getvalue() == "\r[##############################] 10/10 posts\n"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
def test_postgresql_plans_for_the_imported_posts_at_once(wordpress):
    run_import(*wordpress)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'news_post'")
        (estimated_rows,) = cursor.fetchone()
    # ANALYZE ran after the import: the planner counts the imported posts (-1: never analysed).
    assert estimated_rows == Post.objects.count() > 0
