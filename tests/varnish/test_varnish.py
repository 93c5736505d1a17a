"""Through a real Varnish: anonymous pages are kept and shared, and every kind of change purges them."""

import gzip
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from publishing.models import Status
from tests.factories import make_contact, make_post, make_topic
from tests.varnish.conftest import request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content(through_varnish):
    topic = make_topic(name="Quantum", slug="quantum")
    contact = make_contact(name="Ada Lead", topics=[topic])
    post = make_post(title="Qubit breakthrough", topics=[topic], contacts=[contact])
    return {"topic": topic, "contact": contact, "post": post, "varnish": through_varnish}


def get(varnish, path, **headers):
    return request(varnish.url, path, headers=headers)


def pages(content):
    return [
        content["post"].get_absolute_url(),
        "/news/",
        content["topic"].get_absolute_url(),
        "/feeds/news/",
        "/",
    ]


def warm(varnish, paths):
    """Fetch each page until Varnish serves it from its cache."""
    for path in paths:
        get(varnish, path)
        status, headers, _body = get(varnish, path)
        assert (status, headers["x-cache"]) == (200, "HIT"), path


def test_an_anonymous_page_is_kept_and_shared(content):
    varnish, url = content["varnish"], content["post"].get_absolute_url()
    status, first, body = get(varnish, url)
    assert (status, first["x-cache"]) == (200, "MISS")
    status, second, again = get(varnish, url, Cookie="csrftoken=abc; _ga=1")
    assert (status, second["x-cache"], again) == (200, "HIT", body)
    assert "xkey" not in second and "set-cookie" not in second


def test_signed_in_readers_and_the_admin_always_reach_the_app(content):
    varnish, url = content["varnish"], content["post"].get_absolute_url()
    warm(varnish, [url])
    _status, headers, _body = get(varnish, url, Cookie="sessionid=whatever")
    assert headers["x-cache"] == "MISS"
    for _ in range(2):
        status, headers, _body = get(varnish, "/admin/login/")
        assert (status, headers["x-cache"]) == (200, "MISS")


def test_html_is_compressed_for_those_who_accept_it_and_plain_for_others(content):
    varnish, url = content["varnish"], content["post"].get_absolute_url()
    _s, packed_headers, packed = get(varnish, url, **{"Accept-Encoding": "gzip"})
    _s, plain_headers, plain = get(varnish, url)
    assert packed_headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain_headers
    assert gzip.decompress(packed) == plain


def test_only_the_app_servers_may_purge(content):
    varnish = content["varnish"]
    warm(varnish, ["/news/"])
    status, _h, _b = request(
        varnish.url, method="PURGE", headers={"xkey-purge": "news"}, source="127.0.0.2"
    )
    assert status == 403
    assert get(varnish, "/news/")[1]["x-cache"] == "HIT"


def _shows(varnish, path, text):
    status, _headers, body = get(varnish, path)
    return status == 200 and text in body.decode()


def test_saving_a_post_shows_at_once_on_every_page_that_shows_it(content):
    varnish, post = content["varnish"], content["post"]
    warm(varnish, pages(content))
    post.title = "Qubit breakthrough, corrected"
    post.save()
    for path in pages(content):
        assert _shows(varnish, path, "Qubit breakthrough, corrected"), path


def test_publishing_a_draft_shows_it_and_unpublishing_takes_it_away(content):
    varnish, topic = content["varnish"], content["topic"]
    draft = make_post(title="Fresh draft news", topics=[topic], status=Status.DRAFT)
    listing = ["/news/", topic.get_absolute_url(), "/feeds/news/", "/"]
    warm(varnish, listing)
    assert get(varnish, draft.get_absolute_url())[0] == 404

    draft.status = Status.PUBLISHED
    draft.save()
    for path in [*listing, draft.get_absolute_url()]:
        assert _shows(varnish, path, "Fresh draft news"), path

    warm(varnish, listing + [draft.get_absolute_url()])
    draft.status = Status.DRAFT
    draft.save()
    assert get(varnish, draft.get_absolute_url())[0] == 404
    for path in listing:
        assert not _shows(varnish, path, "Fresh draft news"), path


def test_deleting_a_post_takes_it_off_every_page(content):
    varnish, post = content["varnish"], content["post"]
    paths = pages(content)
    warm(varnish, paths)
    post.delete()
    assert get(varnish, paths[0])[0] == 404
    for path in paths[1:]:
        assert not _shows(varnish, path, "Qubit breakthrough"), path


def test_retagging_a_post_updates_both_topic_hubs(content):
    varnish, post, quantum = content["varnish"], content["post"], content["topic"]
    energy = make_topic(name="Energy", slug="energy")
    warm(varnish, [quantum.get_absolute_url(), energy.get_absolute_url()])
    post.topics.set([energy])  # a many-to-many change alone
    assert not _shows(varnish, quantum.get_absolute_url(), "Qubit breakthrough")
    assert _shows(varnish, energy.get_absolute_url(), "Qubit breakthrough")


def test_a_contact_renamed_shows_on_the_articles_that_name_them(content):
    varnish, contact = content["varnish"], content["contact"]
    url = content["post"].get_absolute_url()
    warm(varnish, [url, contact.get_absolute_url()])
    contact.name = "Ada King"
    contact.save()
    assert _shows(varnish, url, "Ada King")
    assert _shows(varnish, contact.get_absolute_url(), "Ada King")


def test_a_scheduled_post_appears_when_its_time_comes_with_no_purge(content):
    varnish = content["varnish"]
    going_live = timezone.now() + timedelta(seconds=3)
    make_post(title="Right on time", publish_at=going_live)
    warm(varnish, ["/news/"])
    assert not _shows(varnish, "/news/", "Right on time")
    time.sleep(max(0, (going_live - timezone.now()).total_seconds()) + 1.05)
    assert _shows(varnish, "/news/", "Right on time")
