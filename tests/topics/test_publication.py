"""Topics are published like posts (issue 28): a new topic is a draft that readers meet
nowhere (its hub, its feeds, the tags of posts, reports, events and opportunities, the
mailing list's choices, the topic filters of lists, the sitemap) until it is published."""

import time
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from mailinglist.models import Subscriber
from publishing.models import Status, item_title
from tests.factories import (
    make_contact,
    make_event,
    make_opportunity,
    make_post,
    make_report,
    make_topic,
    signed_in,
)
from topics.models import Topic

pytestmark = pytest.mark.django_db

HIDDEN = "Quantum Draftery"


@pytest.fixture
def live():
    return make_topic(name="Space Livery", slug="space-livery")


@pytest.fixture
def draft():
    return make_topic(name=HIDDEN, slug="quantum", status=Status.DRAFT, publish_at=None)


def test_a_new_topic_is_a_draft():
    topic = Topic.objects.create(name="New", slug="new")
    assert topic.status == Status.DRAFT and not topic.is_live
    assert not Topic.objects.live().filter(pk=topic.pk).exists()
    assert str(topic) == item_title(topic) == "New"
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(name="Bad", slug="bad", status=Status.PUBLISHED, publish_at=None)


def test_a_draft_topic_s_hub_feeds_and_calendar_are_not_found(client, draft):
    for url in (
        f"/topics/{draft.slug}/",
        f"/feeds/topics/{draft.slug}/",
        f"/feeds/topics/{draft.slug}/atom/",
        f"/go/topic/{draft.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/contacts/?topic={draft.slug}").status_code == 404


def test_an_editor_sees_the_draft_hub_uncached(draft):
    editor = signed_in("ed", perms=["change_topic"])
    response = editor.get(f"/topics/{draft.slug}/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_a_draft_topic_is_in_no_tag_list_or_choice(client, live, draft):
    both = [live, draft]
    post = make_post(topics=both)
    report = make_report(topics=both)
    event = make_event(topics=both)
    opportunity = make_opportunity(topics=both)
    contact = make_contact(topics=both)
    pages = {
        "home": "/",
        "news": "/news/",
        "article": post.get_absolute_url(),
        "reports": "/reports/",
        "report": report.get_absolute_url(),
        "events": "/events/",
        "event": event.get_absolute_url(),
        "opportunities": "/opportunities/",
        "opportunity": opportunity.get_absolute_url(),
        "contacts": "/contacts/",
        "contact": contact.get_absolute_url(),
        "mailing list": "/mailing-list/",
        "news feed": "/feeds/news/",
    }
    for what, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, what
        page = response.content.decode()
        assert "Space Livery" in page, what  # the page names topics; not the draft one
        assert HIDDEN not in page and "/topics/quantum/" not in page, what
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/topics/space-livery/" in sitemap and "/topics/quantum/" not in sitemap


def test_a_draft_topic_filters_nothing_and_cannot_be_chosen(client, draft):
    assert client.get(f"/news/?topic={draft.slug}").status_code == 400
    response = client.post("/mailing-list/", {"email": "a@example.org", "topics": [draft.pk]})
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_a_topic_published_is_offered_by_every_list_filter_at_once(client, draft):
    filtered = ("/news/", "/reports/", "/events/", "/search/?q=space")
    for url in filtered:
        # The filters' topics are kept (topics.forms.kept_live_topics) from this first look.
        assert 'value="quantum"' not in client.get(url).content.decode(), url
    draft.status = Status.PUBLISHED
    draft.publish_at = timezone.now()
    draft.save()
    for url in filtered:
        assert f'<option value="quantum">{HIDDEN}</option>' in client.get(url).content.decode(), url
    assert client.get("/news/?topic=quantum").status_code == 200
    assert client.get("/search/?q=space&topic=quantum").status_code == 200


def test_a_topic_scheduled_is_offered_by_the_filters_when_its_time_comes(client):
    make_topic(
        name="Fusion Soon", slug="fusion-soon", publish_at=timezone.now() + timedelta(seconds=2)
    )
    assert 'value="fusion-soon"' not in client.get("/news/").content.decode()
    time.sleep(2.2)
    # No save in between: the kept topics are picked by the clock at each request.
    assert (
        '<option value="fusion-soon">Fusion Soon</option>' in client.get("/news/").content.decode()
    )
    assert client.get("/reports/?topic=fusion-soon").status_code == 200
