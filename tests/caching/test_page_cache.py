"""The page cache: anonymous readers get stored pages, and never a stale or someone else's one."""

import re
import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from contacts.models import Enquiry
from news.models import Post
from publishing.models import Status
from publishing.services import preview_link_create
from reports.models import Report
from tests.factories import (
    admin_post_data,
    enquiry_form_data,
    make_post,
    make_staff,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The page cache as in production (the rest of the suite runs with it off)."""
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 60


def _editor_client():
    client = Client()
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


PAGES = {
    "home": lambda c: "/",
    "article": lambda c: c["post"].get_absolute_url(),
    "news list": lambda c: "/news/",
    "news filtered": lambda c: "/news/?topic=quantum",
    "reports list": lambda c: "/reports/",
    "report": lambda c: c["report"].get_absolute_url(),
    "contacts list": lambda c: "/contacts/",
    "topic hub": lambda c: c["topic"].get_absolute_url(),
    "search": lambda c: "/search/?q=quantum",
    "feed": lambda c: "/feeds/news/",
    "sitemap": lambda c: "/sitemap.xml",
    "robots": lambda c: "/robots.txt",
    "mailing list": lambda c: "/mailing-list/",
}


@pytest.mark.parametrize("page", PAGES)
def test_a_second_reader_gets_the_page_from_the_cache_without_a_query(
    client, content, page, django_assert_num_queries
):
    url = PAGES[page](content)
    first = client.get(url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.status_code == 200 and second["X-Page-Cache"] == "hit"
    assert second["Content-Type"] == first["Content-Type"]
    # The very same page: nothing in it is anyone's own.
    assert second.content == first.content
    assert "max-age=60" in second["Cache-Control"]


def test_an_edit_in_the_admin_shows_at_once_on_the_article_lists_home_and_feed(client, content):
    post = content["post"]
    pages = [
        post.get_absolute_url(),
        "/news/",
        "/",
        "/feeds/news/",
        content["topic"].get_absolute_url(),
    ]
    for url in pages:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"

    response = _editor_client().post(
        reverse("admin:news_post_change", args=[post.pk]),
        admin_post_data(post, title="Qubit breakthrough, corrected"),
    )
    assert response.status_code == 302

    for url in pages:
        html = client.get(url).content.decode()
        assert "Qubit breakthrough, corrected" in html, url


def test_deleting_unpublishing_and_retagging_content_show_at_once(client, content):
    post, topic = content["post"], content["topic"]
    other = make_post(title="Other news")
    assert "Other news" in client.get("/news/").content.decode()
    Post.objects.get(pk=other.pk).delete()
    assert "Other news" not in client.get("/news/").content.decode()

    assert "Qubit breakthrough" in client.get(topic.get_absolute_url()).content.decode()
    post.topics.remove(topic)  # a many-to-many change alone
    assert "Qubit breakthrough" not in client.get(topic.get_absolute_url()).content.decode()

    topic.name = "Quantum technologies"
    topic.save()
    assert "Quantum technologies" in client.get("/").content.decode()

    client.get(post.get_absolute_url())
    post.status = Status.DRAFT
    post.save()
    assert client.get(post.get_absolute_url()).status_code == 404


def test_a_scheduled_post_appears_when_its_time_comes_though_the_list_was_cached(client):
    make_post(title="Already out")
    going_live = timezone.now() + timedelta(seconds=2)
    make_post(title="Right on time", publish_at=going_live)
    assert "Right on time" not in client.get("/news/").content.decode()
    cached = client.get("/news/")
    assert cached["X-Page-Cache"] == "hit" and "Right on time" not in cached.content.decode()
    # No save happens: only the clock moves past the publish time.
    time.sleep(max(0, (going_live - timezone.now()).total_seconds()) + 0.05)
    assert "Right on time" in client.get("/news/").content.decode()
    assert "Right on time" in client.get("/").content.decode()


def test_a_post_leaves_a_cached_list_at_its_take_down_time(client):
    make_post(title="Stays")
    going = timezone.now() + timedelta(seconds=2)
    make_post(title="Withdrawn on time", expire_at=going)
    assert "Withdrawn on time" in client.get("/news/").content.decode()
    cached = client.get("/news/")
    assert cached["X-Page-Cache"] == "hit" and "Withdrawn on time" in cached.content.decode()
    # No save happens: only the clock moves past the take-down time.
    time.sleep(max(0, (going - timezone.now()).total_seconds()) + 0.05)
    assert "Withdrawn on time" not in client.get("/news/").content.decode()
    assert "Withdrawn on time" not in client.get("/").content.decode()


def test_a_page_with_nothing_scheduled_keeps_the_full_lifetime(client, content):
    client.get("/news/")
    assert client.get("/news/")["Cache-Control"] == "max-age=60"


def test_staff_never_get_cached_pages_nor_fill_the_cache(client, content):
    editor = _editor_client()
    url = content["post"].get_absolute_url()
    assert "X-Page-Cache" not in editor.get(url)
    assert client.get(url)["X-Page-Cache"] == "miss"  # the editor's visit stored nothing
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in editor.get(url)  # nor do they get the stored page

    draft = make_post(title="Secret draft", status=Status.DRAFT)
    response = editor.get(draft.get_absolute_url())
    assert "Not public." in response.content.decode()
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_preview_link_page_is_never_stored(client, content):
    draft = make_post(title="Previewed draft", status=Status.DRAFT)
    link = preview_link_create(item=draft, user=None)
    for _ in range(2):
        response = client.get(link.get_absolute_url())
        assert response.status_code == 200 and "Not public." in response.content.decode()
        assert response["X-Page-Cache"] == "miss"
        assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("page", ["/", "article", "/mailing-list/"])
def test_a_reader_arriving_at_a_cached_page_can_join_the_mailing_list(content, page):
    url = content["post"].get_absolute_url() if page == "article" else page
    first = Client(enforce_csrf_checks=True).get(url)
    assert first["X-Page-Cache"] == "miss"

    reader = Client(enforce_csrf_checks=True)
    page = reader.get(url)
    assert page["X-Page-Cache"] == "hit"
    assert page.content == first.content and not page.cookies
    response = reader.post(
        "/mailing-list/",
        {"email": "second@example.org", "consent": "on"},
        headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
    )
    assert response.status_code == 302


def test_a_signed_in_reader_gets_a_csrf_token_and_needs_it(content):
    reader = Client(enforce_csrf_checks=True)
    reader.force_login(make_staff("reader"))
    page = reader.get("/mailing-list/")
    assert "X-Page-Cache" not in page
    token = TOKEN.search(page.content.decode()).group(1)
    same_origin = {"Sec-Fetch-Site": "same-origin"}
    data = {"email": "signed-in@example.org", "consent": "on"}
    assert reader.post("/mailing-list/", data, headers=same_origin).status_code == 403
    data["csrfmiddlewaretoken"] = token
    assert reader.post("/mailing-list/", data, headers=same_origin).status_code == 302


def test_two_readers_of_a_stored_contact_page_both_reach_the_contact(content):
    url = content["contact"].get_absolute_url()
    Client().get(url)
    for n in range(2):
        reader = Client(enforce_csrf_checks=True)
        page = reader.get(url)
        assert page["X-Page-Cache"] == "hit"
        data = enquiry_form_data(email=f"reader{n}@example.org")
        del data["token"]
        assert reader.post(url, data).status_code == 302
    # Two enquiries: neither was taken for a double submit of the other.
    assert sorted(Enquiry.objects.values_list("email", flat=True)) == [
        "reader0@example.org",
        "reader1@example.org",
    ]


def test_every_download_counts_though_the_report_page_is_cached(client, content):
    report = content["report"]
    for _ in range(3):
        client.get(report.get_absolute_url())
        response = client.get(report.get_download_url())
        assert response.status_code == 200
        b"".join(response.streaming_content)
    assert Report.objects.get(pk=report.pk).download_count == 3


def test_bad_requests_and_missing_pages_are_not_stored(client, content):
    for _ in range(2):
        assert client.get("/news/?year=1066")["X-Page-Cache"] == "miss"
        assert client.get("/news/no-such-post/")["X-Page-Cache"] == "miss"


def test_the_health_check_is_never_stored(client):
    client.get("/healthz")
    response = client.get("/healthz")
    assert response.get("X-Page-Cache") != "hit" and "no-cache" in response["Cache-Control"]


def test_a_zero_lifetime_turns_the_cache_off(client, content, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    client.get("/news/")
    response = client.get("/news/")
    assert "X-Page-Cache" not in response and "Cache-Control" not in response


def test_the_site_works_and_editors_can_save_while_the_cache_is_down(client, content):
    dead = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
    }
    with override_settings(CACHES={"default": dead}):
        for _ in range(2):
            response = client.get("/news/")
            assert response.status_code == 200 and "X-Page-Cache" not in response
        content["post"].title = "Saved during the outage"
        content["post"].save()
        assert "Saved during the outage" in client.get("/news/").content.decode()


def test_a_reader_with_a_pending_message_gets_a_fresh_page(client, content):
    client.get("/news/")
    client.cookies["messages"] = "a message waiting for the next page"
    assert "X-Page-Cache" not in client.get("/news/")


def test_a_head_request_is_answered_from_the_stored_page(client, content):
    client.get("/news/")
    response = client.head("/news/")
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
