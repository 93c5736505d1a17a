"""Checks before publishing (issue 11.6): each fires on a crafted item, says where and how to
fix it, stays quiet on the seed article, and shows beside the form and again on Publish."""

import pytest
from django.test import Client
from django.urls import reverse

from ktnsite.demo.content import SEED_POST_SLUG
from news.models import Post
from publishing.content_checks import check_item
from publishing.links import stable_url
from publishing.models import Status
from tests.factories import (
    admin_post_data,
    make_contact,
    make_image,
    make_post,
    make_report,
    make_staff,
    make_topic,
)

pytestmark = pytest.mark.django_db


def findings(post):
    return [(f.field, f.where, f.problem) for f in check_item(post)]


def only(post):
    found = check_item(post)
    assert len(found) == 1, [str(f) for f in found]
    return found[0]


def test_the_seed_article_passes_every_check(demo):
    assert check_item(Post.objects.get(slug=SEED_POST_SLUG)) == []


def test_a_plain_post_passes():
    assert check_item(make_post(body="<h2>Why</h2><p>Because.</p><h3>How</h3><p>So.</p>")) == []


@pytest.mark.parametrize("alt", ["", "IMG_1234.jpg", "hero.png", "DSC01234"])
def test_a_hero_without_real_alt_text_is_flagged(alt):
    post = make_post()
    post.hero_image = make_image(alt=alt, alt_pending=not alt)  # as a WordPress import
    finding = only(post)
    assert finding.field == "hero_image" and finding.where == "Hero image"
    assert ("no alt text" if not alt else "is a file name") in finding.problem
    assert "write what the picture shows" in finding.fix


def test_a_decorative_hero_needs_no_alt_text():
    post = make_post()
    post.hero_image = make_image(alt="", decorative=True)
    assert check_item(post) == []


def test_body_pictures_without_alt_text_are_flagged_by_position():
    good, bare = make_image(alt="A pilot line"), make_image(alt="", alt_pending=True)
    body = (
        f'<p><img data-image="{good.pk}"></p><p><img data-image="{bare.pk}"></p>'
        f'<p><img data-image="{good.pk}" alt="photo_2.JPG"></p>'
        f'<p><img data-image="{bare.pk}" alt=""></p>'  # decorative for this use
    )
    found = findings(make_post(body=body))
    assert [(where, "file name" in problem) for _f, where, problem in found] == [
        ("Body, 2nd picture", False),
        ("Body, 3rd picture", True),
    ]


@pytest.mark.parametrize(
    "text", ["click here", "Here", "Read more…", "https://example.org/a/b", "www.example.org"]
)
def test_link_text_that_does_not_say_where_it_leads_is_flagged(text):
    post = make_post(body=f'<p>The rules: <a href="https://example.org/rules">{text}</a>.</p>')
    finding = only(post)
    assert finding.where.startswith("Body, 1st link") and finding.field == "body"
    assert "type what it leads to" in finding.fix


def test_skipped_and_empty_headings_are_flagged():
    post = make_post(body="<h2>Background</h2><p>x</p><h4>Detail</h4><p>y</p><h3> </h3>")
    found = check_item(post)
    assert [f.where for f in found] == [
        "Body, 2nd heading “Detail”",
        "Body, 3rd heading (Heading 3)",
    ]
    assert "Heading 3 is skipped" in found[0].problem and "Make it Heading 3" in found[0].fix
    assert "empty" in found[1].problem


def test_a_body_starting_at_heading_3_skips_heading_2():
    finding = only(make_post(body="<h3>Straight in</h3><p>x</p>"))
    assert "straight after the title" in finding.problem


def test_links_to_drafts_and_missing_items_are_flagged_and_live_ones_are_not():
    live = make_post(title="Live one")
    draft = make_post(title="Not yet", status=Status.DRAFT, publish_at=None)
    gone_contact = make_contact(is_active=False)
    topic = make_topic()
    body = (
        f'<p><a href="{live.get_absolute_url()}">the live post</a> '
        f'<a href="{draft.get_absolute_url()}">the draft</a> '
        f'<a href="{stable_url("post", draft.pk)}">the draft by id</a> '
        f'<a href="/news/no-such-post/">a missing post</a> '
        f'<a href="{gone_contact.get_absolute_url()}">someone who left</a> '
        f'<a href="{topic.get_absolute_url()}">a topic</a> '
        f'<a href="{stable_url("report", make_report().pk)}">a live report by id</a> '
        '<a href="/no/such/page/">a broken address</a></p>'
    )
    found = check_item(make_post(body=body))
    assert [f.where for f in found] == [
        "Body, 2nd link “the draft”",
        "Body, 3rd link “the draft by id”",
        "Body, 4th link “a missing post”",
        "Body, 5th link “someone who left”",
        "Body, 8th link “a broken address”",
    ]
    assert "readers cannot see yet" in found[0].problem and "Publish that post" in found[0].fix
    assert "does not exist" in found[2].problem


def test_a_link_to_a_renamed_post_s_old_address_is_fine():
    from django.contrib.redirects.models import Redirect

    post = make_post(slug="new-name")
    Redirect.objects.create(site_id=1, old_path="/news/old-name/", new_path=post.get_absolute_url())
    assert check_item(make_post(body='<p><a href="/news/old-name/">the renamed post</a></p>')) == []


def test_a_long_title_and_a_missing_standfirst_are_flagged():
    found = check_item(make_post(title="x" * 71, standfirst=""))
    assert [f.field for f in found] == ["title", "standfirst"]
    assert "71 characters" in found[0].problem
    assert check_item(make_post(title="x" * 70)) == []


def test_a_report_whose_file_has_no_text_is_flagged_on_it_and_on_its_post():
    scan = make_report(pages=[[], []])
    assert scan.extracted_text == ""
    finding = only(scan)
    assert finding.field == "file" and "screen readers" in finding.problem
    on_post = only(make_post(report=scan))
    assert on_post.field == "report" and on_post.where.startswith(f"Report “{scan}”")
    assert check_item(make_report()) == []


@pytest.fixture
def publisher():
    client = Client()
    client.force_login(make_staff("pub", groups=["Editors"]))
    return client


def test_the_change_form_shows_the_checks_beside_the_form(publisher, django_assert_max_num_queries):
    post = make_post(
        status=Status.DRAFT, publish_at=None, body="<p><a href='https://example.org/x'>here</a></p>"
    )
    with django_assert_max_num_queries(40):
        page = publisher.get(reverse("admin:news_post_change", args=[post.pk])).content.decode()
    assert "Checks before publishing" in page and "1 thing to check" in page
    assert "Body, 1st link “here”" in page
    assert f'data-url="{reverse("admin:news_post_checks", args=[post.pk])}"' in page


def test_the_checks_address_checks_unsaved_content_and_escapes_nothing_into_html(publisher):
    post = make_post(status=Status.DRAFT, publish_at=None)
    data = admin_post_data(
        post, body='<h4>Too deep</h4><p><a href="https://example.org/x">here</a></p>', title="<b>"
    )
    response = publisher.post(reverse("admin:news_post_checks", args=[post.pk]), data)
    assert response.status_code == 200
    wheres = [f["where"] for f in response.json()["findings"]]
    assert wheres == ["Body, 1st heading “Too deep”", "Body, 1st link “here”"]
    post.refresh_from_db()
    assert "Too deep" not in post.body
    assert publisher.get(reverse("admin:news_post_checks", args=[post.pk])).status_code == 405


def test_the_checks_address_is_for_editors_only(client):
    post = make_post()
    response = client.post(reverse("admin:news_post_checks", args=[post.pk]), {})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_publishing_lists_the_checks_again_and_publishes_anyway(publisher):
    post = make_post(status=Status.DRAFT, publish_at=None, standfirst="")
    data = admin_post_data(post, _publishing="publish", standfirst="")
    data["standfirst"] = "x"  # the form requires one; the check reads the saved item
    response = publisher.post(
        reverse("admin:news_post_change", args=[post.pk]),
        {**data, "body": "<p><a href='https://example.org'>click here</a></p>"},
        follow=True,
    )
    page = response.content.decode()
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED
    assert "1 thing to check before readers see it" in page
    assert "Body, 1st link “click here”" in page


def test_the_checks_address_sees_an_emptied_standfirst(publisher):
    post = make_post(status=Status.DRAFT, publish_at=None)
    data = admin_post_data(post, standfirst="  ")
    response = publisher.post(reverse("admin:news_post_checks", args=[post.pk]), data)
    assert [f["field"] for f in response.json()["findings"]] == ["standfirst"]
