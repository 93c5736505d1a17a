"""Events declared once (publishing.registry): search, the sitemap, front-cache purges, the link
chooser and topic alerts all find them."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events.models import EventStatus
from tests.caching.test_purge import Recorder
from tests.factories import make_event, make_subscriber, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def purged(settings):
    settings.FRONT_CACHE_PURGERS = [{"BACKEND": "tests.caching.test_purge.Recorder"}]
    Recorder.calls = []
    return Recorder.calls


def test_search_finds_live_events_and_not_drafts(client):
    make_event(title="Hydrogen valleys briefing")
    make_event(title="Hydrogen draft", status="draft", publish_at=None)
    html = client.get("/search/?q=hydrogen").content.decode()
    assert "Hydrogen valleys briefing" in html
    assert "Hydrogen draft" not in html


def test_the_sitemap_lists_live_events(client):
    event = make_event()
    draft = make_event(status="draft", publish_at=None)
    xml = client.get("/sitemap.xml").content.decode()
    assert event.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml


def test_a_change_purges_the_event_the_events_lists_and_its_topics(
    purged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(topics=[make_topic(slug="quantum")])
    Recorder.calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event.event_status = EventStatus.CANCELLED
        event.save()
    assert purged == [{f"event-{event.pk}", "events", "topic-quantum"}]


def test_the_list_and_page_name_what_they_show(client, settings):
    settings.FRONT_CACHE_SECONDS = 600
    event = make_event(topics=[make_topic(slug="quantum")])
    assert "events" in client.get("/events/")["Surrogate-Key"].split()
    keys = client.get(event.get_absolute_url())["Surrogate-Key"].split()
    assert {f"event-{event.pk}", "topic-quantum"} <= set(keys)


def test_an_event_going_live_alerts_subscribers_of_its_topics(django_capture_on_commit_callbacks):
    topic, other = make_topic(), make_topic()
    reader = make_subscriber(topics=[topic])
    make_subscriber(topics=[other])
    with django_capture_on_commit_callbacks(execute=True):
        make_event(
            title="Quantum skills workshop",
            topics=[topic],
            publish_at=timezone.now() - timedelta(minutes=1),
        )
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert mail.outbox[0].subject == "Quantum skills workshop"


def test_no_cache_keeps_an_event_page_past_the_events_start(client, settings):
    settings.FRONT_CACHE_SECONDS = 600
    event = make_event(start=timezone.now() + timedelta(seconds=100))
    response = client.get(event.get_absolute_url())
    s_maxage = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert 95 <= s_maxage <= 100


def test_nor_a_list_past_the_end_of_an_event_under_way(client, settings):
    settings.FRONT_CACHE_SECONDS = 600
    started = timezone.now() - timedelta(minutes=10)
    make_event(start=started, end_at=started + timedelta(minutes=10, seconds=200))
    response = client.get("/events/")
    s_maxage = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert 190 <= s_maxage <= 200


def test_nor_past_the_moment_registration_closes(client, settings):
    settings.FRONT_CACHE_SECONDS = 600
    event = make_event(
        registration_here=True, registration_closes_at=timezone.now() + timedelta(seconds=150)
    )
    response = client.get(event.get_absolute_url())
    s_maxage = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert 140 <= s_maxage <= 150
