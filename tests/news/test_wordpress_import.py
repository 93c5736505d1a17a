"""manage.py import_wordpress: a realistic WordPress export carried over, safely and repeatably."""

import io
import re

import pytest
from django.contrib.redirects.models import Redirect
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from ktnsite.demo.files import make_hero_image, make_pdf
from news.models import Post, WordPressItem
from news.wordpress.body import body_prepare
from publishing.models import Status
from reports.models import Report
from tests.factories import make_topic, write_wxr, wxr_attachment, wxr_post
from topics.models import Topic

SITE = "https://old.example.org"
GUTENBERG_BODY = (
    "<!-- wp:paragraph -->\n<p>KTN and UKRI have released the impact report.</p>\n"
    "<!-- /wp:paragraph -->\n\n"
    '<!-- wp:paragraph {"className":"lead"} -->\n<p>Read <a href="'
    f'{SITE}/wp-content/uploads/2021/10/impact-report.pdf">the full report</a>.</p>\n'
    "<!-- /wp:paragraph -->\n\n"
    "<!-- wp:html -->\n<script>alert('pwned')</script>\n<!-- /wp:html -->\n\n"
    '<!-- wp:embed --><figure><iframe src="https://www.youtube.com/embed/abc123" '
    'title="Pilot line tour"></iframe></figure><!-- /wp:embed -->\n\n'
    '<!-- wp:paragraph --><p>See <a href="https://old.example.org/2021/09/01/earlier-news/">'
    "earlier news</a>.</p><!-- /wp:paragraph -->"
)
CLASSIC_BODY = (
    "The pilot line doubled its output this year.\n\n"
    'Pictures from the day [gallery ids="7,8"] are on our page.\n'
    "More to follow.\n\n"
    '[caption id="attachment_502" align="aligncenter" width="300"]'
    '<a href="https://cdn.example.net/wp-content/uploads/2021/10/chart.png">'
    '<img class="wp-image-502" src="https://cdn.example.net/wp-content/uploads/2021/10/'
    'chart-300x200.png" alt="" width="300" height="200" /></a> Output by quarter[/caption]\n\n'
    '[contact-form-7 id="12" title="Contact form"]'
)


def _items():
    return [
        wxr_post(
            101,
            "KTN and UKRI release Medicines Manufacturing Impact Report",
            slug="ktn-impact-report",
            link=f"{SITE}/2021/10/14/ktn-impact-report/",
            body=GUTENBERG_BODY,
            excerpt="The <em>impact report</em> is out.",
            categories=[
                ("medicines-manufacturing", "Medicines Manufacturing"),
                ("uncategorized", "Uncategorized"),
            ],
            tags=[("pharma", "Pharma")],
            thumbnail_id=501,
        ),
        wxr_post(
            102,
            "Pilot line doubles output",
            slug="pilot-line",
            status="future",
            date_gmt="2099-01-01 10:00:00",
            body=CLASSIC_BODY,
            categories=[("net-zero", "Net Zero")],
        ),
        wxr_post(
            103,
            "Work in progress",
            status="draft",
            date_gmt="0000-00-00 00:00:00",
            body=f'<p><img src="{SITE}/wp-content/uploads/2021/10/missing.jpg" alt="Lost"></p>'
            "<p>Unfinished.</p>",
            thumbnail_id=504,
        ),
        wxr_post(104, "Staff only", slug="staff-only", status="private", body="<p>Secret.</p>"),
        wxr_post(105, "About us", slug="about", post_type="page", body="<p>A page.</p>"),
        # The attachments come after the posts that use them, as WordPress exports them.
        wxr_attachment(501, "2021/10/hero.jpg", title="Hero", alt="Scientists at a pilot line"),
        wxr_attachment(502, "2021/10/chart.png", title="Chart", alt="Output by quarter, rising"),
        wxr_attachment(
            503,
            "2021/10/impact-report.pdf",
            title="Medicines Manufacturing Impact Report",
            description="Ten years of medicines manufacturing innovation.",
        ),
        wxr_attachment(504, "2021/10/gone.jpg", title="Gone", alt="A missing picture"),
    ]


@pytest.fixture
def wordpress(tmp_path):
    """An export and a copy of its uploads folder (one image is missing from it)."""
    uploads = tmp_path / "uploads"
    folder = uploads / "2021" / "10"
    folder.mkdir(parents=True)
    (folder / "hero.jpg").write_bytes(make_hero_image())
    (folder / "chart.png").write_bytes(_png())
    (folder / "chart-300x200.png").write_bytes(_png(300, 200))
    (folder / "impact-report.pdf").write_bytes(
        make_pdf([["Impact report", "Ten years of innovation."], ["Page two."]])
    )
    export = tmp_path / "export.xml"
    _write(export, _items())
    return export, uploads


def _png(width=640, height=400):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


def _write(export, items, **kwargs):
    with open(export, "w", encoding="utf-8") as handle:
        write_wxr(
            handle,
            items,
            categories=[
                ("medicines-manufacturing", "Medicines Manufacturing"),
                ("net-zero", "Net Zero"),
                ("uncategorized", "Uncategorized"),
            ],
            tags=[("pharma", "Pharma")],
            site=SITE,
            **kwargs,
        )


def _run(export, uploads, *args):
    out = io.StringIO()
    call_command("import_wordpress", str(export), "--media", str(uploads), *args, stdout=out)
    return out.getvalue()


def _post(wp_id):
    mapping = WordPressItem.objects.get(kind="post", wp_key=str(wp_id))
    return Post.objects.get(pk=mapping.object_id)


def _counts(output, kind):
    line = next(line for line in output.splitlines() if line.startswith(kind))
    created, updated, skipped = (int(n) for n in line.split()[1:])
    return {"created": created, "updated": updated, "skipped": skipped}


@pytest.mark.django_db
def test_posts_keep_their_wordpress_state_title_slug_and_date(wordpress, client):
    output = _run(*wordpress)

    published, scheduled, draft = _post(101), _post(102), _post(103)
    assert published.title == "KTN and UKRI release Medicines Manufacturing Impact Report"
    assert published.slug == "ktn-impact-report"
    assert published.is_live
    assert published.publish_at.isoformat() == "2021-10-14T09:00:00+00:00"
    assert client.get(published.get_absolute_url()).status_code == 200
    assert scheduled.is_scheduled and scheduled.publish_at.year == 2099
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert draft.status == Status.DRAFT
    assert draft.slug == "work-in-progress"  # WordPress gives drafts no slug
    # Private posts and pages are not imported; the private one is listed with its reason.
    assert Post.objects.count() == 3
    assert "post 104 “Staff only”: skipped: private posts are not imported" in output
    assert _counts(output, "posts") == {"created": 3, "updated": 0, "skipped": 1}


@pytest.mark.django_db
def test_standfirst_is_the_excerpt_or_else_the_first_paragraph(wordpress):
    _run(*wordpress)

    assert _post(101).standfirst == "The impact report is out."
    classic = _post(102)
    assert classic.standfirst == "The pilot line doubled its output this year."
    assert "doubled its output" not in classic.body  # not shown twice on the article page


@pytest.mark.django_db
def test_body_loses_block_comments_scripts_and_shortcodes_but_keeps_its_text(wordpress, client):
    output = _run(*wordpress)

    gutenberg, classic = _post(101), _post(102)
    assert "wp:paragraph" not in gutenberg.body and "<!--" not in gutenberg.body
    assert "<script" not in gutenberg.body and "pwned" not in gutenberg.body
    assert "<p>KTN and UKRI have released the impact report.</p>" in gutenberg.body
    # A link to another page of the old site becomes a path here, which redirects answer.
    assert 'href="/2021/09/01/earlier-news/"' in gutenberg.body
    # Classic-editor text gets its paragraphs and line breaks, as WordPress showed it.
    assert "<p>Pictures from the day  are on our page.<br>\nMore to follow.</p>" in classic.body
    assert "[gallery" not in classic.body and "[contact-form-7" not in classic.body
    assert (
        "post 102 “Pilot line doubles output”: shortcodes removed (no equivalent here): "
        "[contact-form-7]\n"
    ) in output
    # The gallery names attachments the export does not have: listed, not silently lost.
    assert "post 102 “Pilot line doubles output”: gallery image 7 is not in the export" in output
    assert (
        "post 101 “KTN and UKRI release Medicines Manufacturing Impact Report”: removed by the "
        "sanitiser (not allowed in a body here): <script>"
    ) in output
    # An embedded video cannot come over, but a link to it does, and is listed.
    assert '<a href="https://www.youtube.com/embed/abc123"' in gutenberg.body
    assert "Pilot line tour</a>" in gutenberg.body
    assert "embedded frame replaced by a link: https://www.youtube.com/embed/abc123" in output
    page = client.get(gutenberg.get_absolute_url())
    assert b"pwned" not in page.content


def test_caption_shortcode_becomes_a_figure_with_its_caption():
    found = []
    html = body_prepare(
        '[caption id="attachment_9" width="300"]<a href="/wp-content/uploads/a.png">'
        '<img src="/wp-content/uploads/a-300x200.png" alt="A" /></a> Output by quarter[/caption]',
        found,
    )
    assert html.replace("\n", "") == (
        '<figure><a href="/wp-content/uploads/a.png"><img src="/wp-content/uploads/'
        'a-300x200.png" alt="A" /></a><figcaption>Output by quarter</figcaption></figure>'
    )
    assert found == []  # a caption is carried over, so it is not reported as removed


def test_bracketed_prose_is_not_taken_for_a_shortcode():
    found = []
    html = body_prepare("<p>The results [sic] were [Editor's note: revised] final.</p>", found)
    assert html == "<p>The results [sic] were [Editor's note: revised] final.</p>"
    assert found == []


@pytest.mark.django_db
def test_categories_and_tags_become_topics_matched_by_slug(wordpress):
    existing = make_topic(slug="net-zero", name="Net zero", description="Ours.")

    output = _run(*wordpress)

    assert sorted(_post(101).topics.values_list("slug", flat=True)) == [
        "medicines-manufacturing",
        "pharma",
    ]
    assert list(_post(102).topics.all()) == [existing]
    existing.refresh_from_db()
    assert existing.description == "Ours."  # an existing topic is used, not changed
    made = Topic.objects.get(slug="medicines-manufacturing")
    assert made.name == "Medicines Manufacturing"
    assert made.description == "Medicines Manufacturing news."
    assert not Topic.objects.filter(slug="uncategorized").exists()  # WordPress's default
    assert _counts(output, "topics") == {"created": 2, "updated": 0, "skipped": 1}


@pytest.mark.django_db
def test_featured_image_is_imported_with_the_attachment_alt_text(
    wordpress, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _run(*wordpress)

    post = _post(101)
    # Into the image library, as an editor's upload goes.
    assert post.hero_image.alt == "Scientists at a pilot line"
    assert "wordpress" in [tag.name for tag in post.hero_image.tags.all()]
    assert default_storage.exists(post.hero_image.file.name)
    assert post.hero_image.sources  # cut into renditions, as an upload is
    page = client.get(post.get_absolute_url())
    assert b'alt="Scientists at a pilot line"' in page.content


@pytest.mark.django_db
def test_a_missing_image_file_is_listed_and_the_post_still_imported(wordpress):
    output = _run(*wordpress)

    draft = _post(103)
    assert not draft.hero_image
    assert "Lost" not in draft.body and "missing.jpg" not in draft.body
    assert (
        "post 103 “Work in progress”: featured image wp-content/uploads/2021/10/gone.jpg: "
        "the file is not in the --media folder"
    ) in output
    assert (
        "post 103 “Work in progress”: image wp-content/uploads/2021/10/missing.jpg: "
        "the file is not in the --media folder"
    ) in output


@pytest.mark.django_db
def test_an_image_that_is_not_one_is_refused_like_an_upload(wordpress):
    export, uploads = wordpress
    (uploads / "2021" / "10" / "hero.jpg").write_bytes(b'<svg onload="alert(1)"></svg>')

    output = _run(export, uploads)

    assert not _post(101).hero_image
    assert "featured image wp-content/uploads/2021/10/hero.jpg: refused: SVG images" in output


@pytest.mark.django_db
def test_a_linked_pdf_becomes_a_report_and_the_link_its_page(wordpress, client):
    output = _run(*wordpress)

    report = Report.objects.get()
    assert report.title == "Medicines Manufacturing Impact Report"
    assert report.summary == "Ten years of medicines manufacturing innovation."
    assert (report.file_type, report.page_count) == ("pdf", 2)  # read as an upload is
    assert "Ten years of innovation" in report.extracted_text
    post = _post(101)
    assert f'<a href="{report.get_absolute_url()}"' in post.body
    assert post.report == report  # so the article shows "View the report"
    assert report.is_live  # a published post links it
    assert client.get(report.get_absolute_url()).status_code == 200
    assert _counts(output, "reports") == {"created": 1, "updated": 0, "skipped": 0}


@pytest.mark.django_db
def test_old_addresses_answer_301_straight_to_the_new_page_or_file(wordpress, client):
    _run(*wordpress)
    post = _post(101)
    report = Report.objects.get()

    for old, new in [
        ("/2021/10/14/ktn-impact-report/", post.get_absolute_url()),
        ("/?p=101", post.get_absolute_url()),
        ("/wp-content/uploads/2021/10/impact-report.pdf", report.get_download_url()),
        ("/wp-content/uploads/2021/10/hero.jpg", post.hero_image.file.url),
    ]:
        response = client.get(old, follow=True)
        assert response.redirect_chain == [(new, 301)], old  # one hop: no chains
        assert response.status_code == 200, old
    # The resized copy a body used answers with the one imported original.
    chart = client.get("/wp-content/uploads/2021/10/chart-300x200.png")
    assert chart.status_code == 301
    assert chart["Location"] == client.get("/wp-content/uploads/2021/10/chart.png")["Location"]
    # A query the home page has nothing for is still the home page.
    assert client.get("/?p=999999").status_code == 200


@pytest.mark.django_db
def test_renaming_an_imported_post_later_keeps_its_old_addresses_in_one_hop(wordpress, client):
    from publishing.services import slug_redirect_record

    _run(*wordpress)
    post = _post(101)
    old_url = post.get_absolute_url()
    post.slug = "impact-report-2021"
    post.save()
    slug_redirect_record(old_path=old_url, new_path=post.get_absolute_url())

    response = client.get("/2021/10/14/ktn-impact-report/", follow=True)
    assert response.redirect_chain == [("/news/impact-report-2021/", 301)]


@pytest.mark.django_db
def test_a_second_run_creates_nothing_twice_and_updates_what_changed(wordpress):
    from library.models import Image

    export, uploads = wordpress
    _run(export, uploads)
    before = {
        model: model.objects.count()
        for model in (Post, Report, Topic, Redirect, WordPressItem, Image)
    }
    year = Image.objects.first().file.name.split("/")[1]
    files = sorted(default_storage.listdir(f"images/{year}")[1])

    again = _run(export, uploads)

    assert {model: model.objects.count() for model in before} == before
    assert sorted(default_storage.listdir(f"images/{year}")[1]) == files
    for kind in ("posts", "topics", "images", "reports", "redirects"):
        assert _counts(again, kind)["created"] == 0, kind
        assert _counts(again, kind)["updated"] == 0, kind
    assert _counts(again, "posts")["skipped"] == 4
    # Problems not yet solved are listed again.
    assert "gone.jpg: the file is not in the --media folder" in again

    items = _items()
    items[0] = items[0].replace("KTN and UKRI release", "KTN and UKRI publish")
    _write(export, items)
    changed = _run(export, uploads)

    assert _counts(changed, "posts") == {"created": 0, "updated": 1, "skipped": 3}
    assert _post(101).title.startswith("KTN and UKRI publish")
    assert Post.objects.count() == before[Post]


@pytest.mark.django_db
def test_an_editor_s_change_survives_a_second_run_of_an_unchanged_export(wordpress):
    export, uploads = wordpress
    _run(export, uploads)
    Post.objects.filter(pk=_post(101).pk).update(standfirst="Edited here.")

    _run(export, uploads)

    assert _post(101).standfirst == "Edited here."


@pytest.mark.django_db
def test_a_file_added_to_the_media_folder_later_is_picked_up(wordpress):
    export, uploads = wordpress
    _run(export, uploads)
    (uploads / "2021" / "10" / "gone.jpg").write_bytes(make_hero_image())

    output = _run(export, uploads)

    assert _post(103).hero_image.alt == "A missing picture"
    assert _counts(output, "posts")["updated"] == 1
    assert "gone.jpg" not in output


@pytest.mark.django_db
def test_dry_run_changes_nothing_and_prints_the_same_report(wordpress):
    export, uploads = wordpress

    from library.models import Image

    dry = _run(export, uploads, "--dry-run")

    for model in (Post, Report, Topic, Redirect, WordPressItem, Image):
        assert not model.objects.exists(), model
    for folder in ("images", "reports", "renditions"):
        assert not default_storage.exists(folder), folder
    real = _run(export, uploads)
    assert dry.splitlines()[0] == "WordPress import (dry run: nothing was saved)"
    assert dry.splitlines()[1:] == real.splitlines()[1:]


@pytest.mark.django_db
def test_one_broken_item_does_not_stop_the_others(wordpress):
    export, uploads = wordpress
    broken = wxr_post(106, "Broken", slug="broken").replace(
        "<wp:post_id>106</wp:post_id>", "<wp:post_id>not-a-number</wp:post_id>"
    )
    _write(export, [broken, *_items()])

    output = _run(export, uploads)

    assert Post.objects.count() == 3
    # A reason the editor understands, not a Python exception's text.
    assert (
        "post not-a-number “Broken”: not imported: its WordPress id “not-a-number” is not a number"
    ) in output
    assert _counts(output, "posts") == {"created": 3, "updated": 0, "skipped": 2}


@pytest.mark.django_db
def test_status_draft_imports_every_post_as_a_draft(wordpress):
    _run(*wordpress, "--status", "draft")

    assert set(Post.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert not Report.objects.live().exists()


@pytest.mark.django_db
def test_an_entity_expansion_bomb_is_refused_without_expanding(tmp_path):
    bomb = (
        '<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    )
    export = tmp_path / "bomb.xml"
    _write(export, [wxr_post(1, "&lol3;", slug="x").replace("&amp;lol3;", "&lol3;")], doctype=bomb)
    (tmp_path / "uploads").mkdir()

    with pytest.raises(CommandError, match="declares XML entities"):
        _run(export, tmp_path / "uploads")
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_file_that_is_not_a_wordpress_export_gets_a_clear_message(tmp_path):
    export = tmp_path / "feed.xml"
    export.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>')

    with pytest.raises(CommandError, match="not a WordPress export"):
        _run(export, tmp_path)


@pytest.mark.django_db
def test_a_slug_already_taken_here_gets_a_suffix_and_is_listed(wordpress):
    from tests.factories import make_post

    make_post(slug="ktn-impact-report")

    output = _run(*wordpress)

    assert _post(101).slug == "ktn-impact-report-2"
    assert "another post already has the slug “ktn-impact-report”" in output


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
def test_headings_keep_their_place_in_the_outline(wordpress):
    export, uploads = wordpress
    _write(
        export,
        [wxr_post(1, "Outline", slug="outline", body="<h1>Big</h1><h5>Small</h5><p>Text.</p>")],
    )

    _run(export, uploads)

    assert _post(1).body == "<h2>Big</h2>\n<h4>Small</h4>"


@pytest.mark.django_db
def test_importing_old_posts_emails_no_subscriber_but_a_scheduled_one_will_be_alerted(
    wordpress, mailoutbox
):
    from mailinglist.models import Alert
    from tests.factories import make_subscriber

    make_subscriber(topics=[make_topic(slug="medicines-manufacturing", name="Medicines")])
    make_subscriber(topics=[make_topic(slug="net-zero", name="Net Zero")])

    _run(*wordpress)

    assert mailoutbox == []
    assert not Alert.objects.filter(object_id=_post(101).pk).exists()  # posted in 2021
    scheduled = Alert.objects.get(object_id=_post(102).pk)  # goes live in 2099
    assert scheduled.due_at == _post(102).publish_at


@pytest.mark.django_db
def test_body_images_join_the_library_and_a_caption_stays_a_figure(
    wordpress, client, django_capture_on_commit_callbacks
):
    from library.models import Image

    export, uploads = wordpress
    body = (
        "<p>Before.</p>\n\n" + CLASSIC_BODY.split("\n\n")[2] + "\n\n"
        '<p><img src="https://elsewhere.example.com/tracker.gif" alt="">After.</p>'
    )
    _write(export, [wxr_post(7, "Chart", slug="chart", body=body, excerpt="Lead."), *_items()[5:]])

    with django_capture_on_commit_callbacks(execute=True):
        output = _run(export, uploads)

    chart = Image.objects.get(title="Chart")  # the resized copy stands for its original
    assert chart.alt == "Output by quarter, rising"  # the attachment's alt text
    post = _post(7)
    assert f'data-image="{chart.pk}"' in post.body and "<figure><img" in post.body
    assert "elsewhere.example.com" not in post.body
    assert "post 7 “Chart”: image from outside the site removed" in output
    page = client.get(post.get_absolute_url()).content.decode()
    assert re.search(
        r"<figure>\s*<picture.*?<img[^>]*alt=\"Output by quarter, rising\".*?</picture>\s*"
        r"<figcaption>Output by quarter</figcaption>\s*</figure>",
        page,
        re.S,
    )


@pytest.mark.django_db
def test_a_changed_image_file_replaces_the_library_image_instead_of_adding_one(wordpress, client):
    from library.models import Image

    export, uploads = wordpress
    _run(export, uploads)
    hero = _post(101).hero_image
    images = Image.objects.count()
    (uploads / "2021" / "10" / "hero.jpg").write_bytes(make_hero_image(1000, 600, seed_offset=3))

    dry = _run(export, uploads, "--dry-run")
    assert (Image.objects.count(), Image.objects.get(pk=hero.pk).width) == (images, hero.width)
    output = _run(export, uploads)

    assert Image.objects.count() == images  # the same library image, given the new file
    replaced = _post(101).hero_image
    assert replaced.pk == hero.pk and (replaced.width, replaced.height) == (1000, 600)
    assert replaced.alt == "Scientists at a pilot line"
    assert _counts(output, "images") == {"created": 0, "updated": 1, "skipped": 0}
    assert dry.splitlines()[1:] == output.splitlines()[1:]
    response = client.get("/wp-content/uploads/2021/10/hero.jpg", follow=True)
    assert response.redirect_chain == [(replaced.file.url, 301)]  # the new file, in one hop


@pytest.mark.django_db
def test_pending_posts_become_drafts_and_trashed_ones_are_skipped_and_listed(wordpress):
    export, uploads = wordpress
    _write(
        export,
        [
            wxr_post(1, "Awaiting review", slug="awaiting", status="pending"),
            wxr_post(2, "Thrown away", slug="thrown-away", status="trash"),
        ],
    )

    output = _run(export, uploads)

    assert _post(1).status == Status.DRAFT
    assert not Post.objects.filter(slug="thrown-away").exists()
    assert "post 2 “Thrown away”: skipped: posts in the WordPress trash are not imported" in output
    assert _counts(output, "posts") == {"created": 1, "updated": 0, "skipped": 1}


@pytest.mark.django_db
def test_an_external_entity_is_refused_without_reading_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2")
    doctype = f'<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>\n'
    export = tmp_path / "external.xml"
    _write(export, [wxr_post(1, "Leak", slug="x")], doctype=doctype)
    export.write_text(export.read_text().replace("<title>Leak</title>", "<title>&leak;</title>"))
    (tmp_path / "uploads").mkdir()

    with pytest.raises(CommandError, match="declares XML entities or refers to outside files"):
        _run(export, tmp_path / "uploads")
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_linked_office_file_becomes_a_report_titled_by_its_link_text(wordpress, client):
    from tests.factories import make_ooxml

    export, uploads = wordpress
    (uploads / "2021" / "10" / "skills-survey.docx").write_bytes(
        make_ooxml("docx", ["Skills survey results", "Most firms lack engineers."])
    )
    link = f"{SITE}/wp-content/uploads/2021/10/skills-survey.docx"
    _write(
        export,
        [
            wxr_post(
                1,
                "Survey",
                slug="survey",
                body=f'<p>Results.</p><p>See <a href="{link}">the survey</a>.</p>',
            )
        ],
    )

    _run(export, uploads)

    report = Report.objects.get()  # no attachment item for the file: the link text names it
    assert (report.title, report.file_type) == ("the survey", "docx")
    assert "Most firms lack engineers" in report.extracted_text
    assert f'<a href="{report.get_absolute_url()}"' in _post(1).body
    response = client.get("/wp-content/uploads/2021/10/skills-survey.docx", follow=True)
    assert response.redirect_chain == [(report.get_download_url(), 301)]


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
    _run(*wordpress)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'news_post'")
        (estimated_rows,) = cursor.fetchone()
    # ANALYZE ran after the import: the planner counts the imported posts (-1: never analysed).
    assert estimated_rows == Post.objects.count() > 0
