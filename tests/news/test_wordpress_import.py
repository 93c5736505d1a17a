"""manage.py import_wordpress: a realistic WordPress export carried over, safely and repeatably."""

import re

import pytest
from django.core.files.storage import default_storage

from news.models import Post
from news.wordpress.body import body_prepare
from publishing.models import Status
from reports.models import Report
from tests.factories import make_topic, wxr_post
from tests.news.wordpress_export import (
    CLASSIC_BODY,
    SITE,
    export_items,
    import_counts,
    imported_post,
    run_import,
    write_export,
)
from topics.models import Topic


@pytest.mark.django_db
def test_posts_keep_their_wordpress_state_title_slug_and_date(wordpress, client):
    output = run_import(*wordpress)

    published, scheduled, draft = imported_post(101), imported_post(102), imported_post(103)
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
    assert import_counts(output, "posts") == {"created": 3, "updated": 0, "skipped": 1}


@pytest.mark.django_db
def test_standfirst_is_the_excerpt_or_else_the_first_paragraph(wordpress):
    run_import(*wordpress)

    assert imported_post(101).standfirst == "The impact report is out."
    classic = imported_post(102)
    assert classic.standfirst == "The pilot line doubled its output this year."
    assert "doubled its output" not in classic.body  # not shown twice on the article page


@pytest.mark.django_db
def test_body_loses_block_comments_scripts_and_shortcodes_but_keeps_its_text(wordpress, client):
    output = run_import(*wordpress)

    gutenberg, classic = imported_post(101), imported_post(102)
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

    output = run_import(*wordpress)

    assert sorted(imported_post(101).topics.values_list("slug", flat=True)) == [
        "medicines-manufacturing",
        "pharma",
    ]
    assert list(imported_post(102).topics.all()) == [existing]
    existing.refresh_from_db()
    assert existing.description == "Ours."  # an existing topic is used, not changed
    made = Topic.objects.get(slug="medicines-manufacturing")
    assert made.name == "Medicines Manufacturing"
    assert made.description == "Medicines Manufacturing news."
    assert not Topic.objects.filter(slug="uncategorized").exists()  # WordPress's default
    assert import_counts(output, "topics") == {"created": 2, "updated": 0, "skipped": 1}


@pytest.mark.django_db
def test_featured_image_is_imported_with_the_attachment_alt_text(
    wordpress, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_import(*wordpress)

    post = imported_post(101)
    # Into the image library, as an editor's upload goes.
    assert post.hero_image.alt == "Scientists at a pilot line"
    assert "wordpress" in [tag.name for tag in post.hero_image.tags.all()]
    assert default_storage.exists(post.hero_image.file.name)
    assert post.hero_image.sources  # cut into renditions, as an upload is
    page = client.get(post.get_absolute_url())
    assert b'alt="Scientists at a pilot line"' in page.content


@pytest.mark.django_db
def test_a_missing_image_file_is_listed_and_the_post_still_imported(wordpress):
    output = run_import(*wordpress)

    draft = imported_post(103)
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

    output = run_import(export, uploads)

    assert not imported_post(101).hero_image
    assert "featured image wp-content/uploads/2021/10/hero.jpg: refused: SVG images" in output


@pytest.mark.django_db
def test_a_linked_pdf_becomes_a_report_and_the_link_its_page(wordpress, client):
    output = run_import(*wordpress)

    report = Report.objects.get()
    assert report.title == "Medicines Manufacturing Impact Report"
    assert report.summary == "Ten years of medicines manufacturing innovation."
    assert (report.file_type, report.page_count) == ("pdf", 2)  # read as an upload is
    assert "Ten years of innovation" in report.extracted_text
    post = imported_post(101)
    assert f'<a href="{report.get_absolute_url()}"' in post.body
    assert post.report == report  # so the article shows "View the report"
    assert report.is_live  # a published post links it
    assert client.get(report.get_absolute_url()).status_code == 200
    assert import_counts(output, "reports") == {"created": 1, "updated": 0, "skipped": 0}


@pytest.mark.django_db
def test_old_addresses_answer_301_straight_to_the_new_page_or_file(wordpress, client):
    run_import(*wordpress)
    post = imported_post(101)
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

    run_import(*wordpress)
    post = imported_post(101)
    old_url = post.get_absolute_url()
    post.slug = "impact-report-2021"
    post.save()
    slug_redirect_record(old_path=old_url, new_path=post.get_absolute_url())

    response = client.get("/2021/10/14/ktn-impact-report/", follow=True)
    assert response.redirect_chain == [("/news/impact-report-2021/", 301)]


@pytest.mark.django_db
def test_status_draft_imports_every_post_as_a_draft(wordpress):
    run_import(*wordpress, "--status", "draft")

    assert set(Post.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert not Report.objects.live().exists()


@pytest.mark.django_db
def test_a_slug_already_taken_here_gets_a_suffix_and_is_listed(wordpress):
    from tests.factories import make_post

    make_post(slug="ktn-impact-report")

    output = run_import(*wordpress)

    assert imported_post(101).slug == "ktn-impact-report-2"
    assert "another post already has the slug “ktn-impact-report”" in output


@pytest.mark.django_db
def test_headings_keep_their_place_in_the_outline(wordpress):
    export, uploads = wordpress
    write_export(
        export,
        [wxr_post(1, "Outline", slug="outline", body="<h1>Big</h1><h5>Small</h5><p>Text.</p>")],
    )

    run_import(export, uploads)

    assert imported_post(1).body == "<h2>Big</h2>\n<h4>Small</h4>"


@pytest.mark.django_db
def test_importing_old_posts_emails_no_subscriber_but_a_scheduled_one_will_be_alerted(
    wordpress, mailoutbox
):
    from mailinglist.models import Alert
    from tests.factories import make_subscriber

    make_subscriber(topics=[make_topic(slug="medicines-manufacturing", name="Medicines")])
    make_subscriber(topics=[make_topic(slug="net-zero", name="Net Zero")])

    run_import(*wordpress)

    assert mailoutbox == []
    assert not Alert.objects.filter(object_id=imported_post(101).pk).exists()  # posted in 2021
    scheduled = Alert.objects.get(object_id=imported_post(102).pk)  # goes live in 2099
    assert scheduled.due_at == imported_post(102).publish_at


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
    write_export(
        export,
        [wxr_post(7, "Chart", slug="chart", body=body, excerpt="Lead."), *export_items()[5:]],
    )

    with django_capture_on_commit_callbacks(execute=True):
        output = run_import(export, uploads)

    chart = Image.objects.get(title="Chart")  # the resized copy stands for its original
    assert chart.alt == "Output by quarter, rising"  # the attachment's alt text
    post = imported_post(7)
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
def test_pending_posts_become_drafts_and_trashed_ones_are_skipped_and_listed(wordpress):
    export, uploads = wordpress
    write_export(
        export,
        [
            wxr_post(1, "Awaiting review", slug="awaiting", status="pending"),
            wxr_post(2, "Thrown away", slug="thrown-away", status="trash"),
        ],
    )

    output = run_import(export, uploads)

    assert imported_post(1).status == Status.DRAFT
    assert not Post.objects.filter(slug="thrown-away").exists()
    assert "post 2 “Thrown away”: skipped: posts in the WordPress trash are not imported" in output
    assert import_counts(output, "posts") == {"created": 1, "updated": 0, "skipped": 1}


@pytest.mark.django_db
def test_a_linked_office_file_becomes_a_report_titled_by_its_link_text(wordpress, client):
    from tests.factories import make_ooxml

    export, uploads = wordpress
    (uploads / "2021" / "10" / "skills-survey.docx").write_bytes(
        make_ooxml("docx", ["Skills survey results", "Most firms lack engineers."])
    )
    link = f"{SITE}/wp-content/uploads/2021/10/skills-survey.docx"
    write_export(
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

    run_import(export, uploads)

    report = Report.objects.get()  # no attachment item for the file: the link text names it
    assert (report.title, report.file_type) == ("the survey", "docx")
    assert "Most firms lack engineers" in report.extracted_text
    assert f'<a href="{report.get_absolute_url()}"' in imported_post(1).body
    response = client.get("/wp-content/uploads/2021/10/skills-survey.docx", follow=True)
    assert response.redirect_chain == [(report.get_download_url(), 301)]
