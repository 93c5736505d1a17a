"""Calendar files and feeds: parsed back, by the RFC 5545 rules Google and Outlook depend on."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.utils import timezone
from icalendar import Calendar

from events.models import EventStatus
from tests.factories import make_event, make_topic

pytestmark = pytest.mark.django_db


def parsed(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar):
    return list(calendar.walk("VEVENT"))


def test_an_events_file_has_its_time_in_europe_london_with_the_zone_defined(client):
    event = make_event(title="Summer briefing", start=datetime(2030, 7, 2, 8, tzinfo=UTC))
    response = client.get(event.get_ics_url())
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    calendar = parsed(response)
    (item,) = vevents(calendar)
    # Not floating: a TZID the file defines (each calendar would otherwise guess the zone).
    assert item["DTSTART"].params["TZID"] == "Europe/London"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert item.start == datetime(2030, 7, 2, 9, tzinfo=ZoneInfo("Europe/London"))
    assert item.start.astimezone(UTC) == datetime(2030, 7, 2, 8, tzinfo=UTC)
    assert str(item["SUMMARY"]) == "Summer briefing"


def test_a_winter_event_and_one_across_the_clock_change_keep_their_instants(client):
    # Clocks go forward at 01:00 UTC on 29 March 2026: 00:30 GMT to 02:30 BST is one hour.
    start = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    event = make_event(start=start, hours=1, publish_at=timezone.now() - timedelta(days=400))
    (item,) = vevents(parsed(client.get(event.get_ics_url())))
    assert item.start.astimezone(UTC) == start
    assert item.end.astimezone(UTC) == start + timedelta(hours=1)
    assert item["DTEND"].to_ical() == b"20260329T023000"  # 2:30 BST


def test_another_parser_reads_the_same_instants(client):
    """vobject reads the VTIMEZONE itself (not a zone name it already knows)."""
    start = datetime(2030, 10, 27, 0, 30, tzinfo=UTC)  # across the clocks going back
    event = make_event(start=start, hours=2)
    text = client.get(event.get_ics_url()).content.decode()
    component = vobject.readOne(text)
    assert component.vevent.dtstart.value.astimezone(UTC) == start
    assert component.vevent.dtend.value.astimezone(UTC) == start + timedelta(hours=2)


def test_a_uk_time_that_happens_twice_is_written_in_utc(client):
    # 00:30 UTC on 27 October 2030 is the first 1:30am of that night (BST); the clocks then go
    # back and 1:30am comes again (GMT). In UTC the file names one instant to every reader.
    start = datetime(2030, 10, 27, 0, 30, tzinfo=UTC)
    event = make_event(start=start, hours=2)
    (item,) = vevents(parsed(client.get(event.get_ics_url())))
    assert item["DTSTART"].to_ical() == b"20301027T003000Z"
    assert item["DTEND"].params["TZID"] == "Europe/London"  # 2:30am GMT happens once


def test_the_file_follows_the_rules_calendars_depend_on(client):
    event = make_event(title="A title long enough " * 8)
    body = client.get(event.get_ics_url()).content
    lines = body.split(b"\r\n")
    assert body.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in lines), "lines must be folded at 75 octets"
    assert b"\n" not in body.replace(b"\r\n", b"")
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (item,) = vevents(calendar)
    for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY"):
        assert required in item
    assert str(item["STATUS"]) == "CONFIRMED"
    assert str(item["URL"]).endswith(event.get_absolute_url())


def test_the_uid_stays_and_the_sequence_rises_with_each_change(client):
    event = make_event()
    (first,) = vevents(parsed(client.get(event.get_ics_url())))
    event.start_at += timedelta(days=1)
    event.end_at += timedelta(days=1)
    event.event_status = EventStatus.RESCHEDULED
    event.previous_start_at = event.start_at - timedelta(days=1)
    event.save()
    event.slug = "a-new-address"
    event.save()
    (second,) = vevents(parsed(client.get(event.get_ics_url())))
    assert second["UID"] == first["UID"]
    assert second["SEQUENCE"] == first["SEQUENCE"] + 2


def test_a_cancelled_event_stays_in_the_feed_marked_cancelled(client):
    event = make_event(title="Workshop")
    event.event_status = EventStatus.CANCELLED
    event.save()
    (item,) = vevents(parsed(client.get("/events/calendar.ics")))
    assert str(item["STATUS"]) == "CANCELLED"
    assert item["SEQUENCE"] == 1
    assert str(item["SUMMARY"]) == "Cancelled: Workshop"


def test_a_postponed_event_is_tentative(client):
    make_event(event_status=EventStatus.POSTPONED)
    (item,) = vevents(parsed(client.get("/events/calendar.ics")))
    assert str(item["STATUS"]) == "TENTATIVE"


def test_the_feed_of_all_events_and_the_feed_of_a_topic(client):
    hydrogen = make_topic(name="Hydrogen", slug="hydrogen")
    make_event(title="H2", topics=[hydrogen])
    make_event(title="Other")
    make_event(title="Draft", status="draft", publish_at=None)
    make_event(title="Long gone", start=timezone.now() - timedelta(days=400))
    everything = parsed(client.get("/events/calendar.ics"))
    assert sorted(str(e["SUMMARY"]) for e in vevents(everything)) == ["H2", "Other"]
    topic_feed = parsed(client.get("/events/topics/hydrogen/calendar.ics"))
    assert [str(e["SUMMARY"]) for e in vevents(topic_feed)] == ["H2"]
    assert "Hydrogen" in str(topic_feed["X-WR-CALNAME"])
    assert client.get("/events/topics/no-such-topic/calendar.ics").status_code == 404


def test_the_list_offers_webcal_subscriptions(client):
    make_topic(name="Hydrogen", slug="hydrogen")
    html = client.get("/events/?topic=hydrogen").content.decode()
    assert 'href="webcal://' in html
    assert "/events/topics/hydrogen/calendar.ics" in html


def test_the_feed_costs_the_same_whatever_its_length(client, django_assert_max_num_queries):
    topic = make_topic()
    for n in range(12):
        make_event(topics=[topic], start=timezone.now() + timedelta(days=n + 1))
    # The topic, the fingerprint of what the feed lists, the events.
    with django_assert_max_num_queries(3):
        client.get(f"/events/topics/{topic.slug}/calendar.ics")
    # Built once: then the topic and the fingerprint only.
    with django_assert_max_num_queries(2):
        client.get(f"/events/topics/{topic.slug}/calendar.ics")


def test_a_kept_feed_shows_each_change_at_once(client):
    event = make_event(title="Before")
    assert "Before" in client.get("/events/calendar.ics").content.decode()
    event.title = "After"
    event.save()
    assert "After" in client.get("/events/calendar.ics").content.decode()
    make_event(title="New one")
    assert "New one" in client.get("/events/calendar.ics").content.decode()
    event.delete()
    assert "After" not in client.get("/events/calendar.ics").content.decode()
