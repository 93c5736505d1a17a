"""The public event pages: upcoming and past lists, filters, paging, the event page and its data."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events.models import EventStatus
from tests.factories import make_contact, make_event, make_post, make_topic

pytestmark = pytest.mark.django_db


def titles(response):
    return [event.title for event in response.context["event_list"]]


def json_ld_of(html):
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_upcoming_events_come_soonest_first_and_past_ones_apart(client):
    now = timezone.now()
    make_event(title="Later", start=now + timedelta(days=9))
    make_event(title="Sooner", start=now + timedelta(days=2))
    make_event(title="Over", start=now - timedelta(days=3))
    assert titles(client.get("/events/")) == ["Sooner", "Later"]
    assert titles(client.get("/events/past/")) == ["Over"]


def test_an_event_under_way_is_still_upcoming(client):
    make_event(title="Three-day show", start=timezone.now() - timedelta(days=2), hours=72)
    assert titles(client.get("/events/")) == ["Three-day show"]
    assert titles(client.get("/events/past/")) == []


def test_drafts_and_scheduled_events_are_not_listed(client):
    make_event(title="Draft", status="draft", publish_at=None)
    make_event(title="Not yet", publish_at=timezone.now() + timedelta(days=1))
    assert titles(client.get("/events/")) == []


def test_filters_by_topic_format_and_month_in_the_address(client):
    hydrogen = make_topic(name="Hydrogen", slug="hydrogen")
    make_event(title="H online", topics=[hydrogen], start=datetime(2030, 5, 2, 9, tzinfo=UTC))
    make_event(
        title="H in person",
        topics=[hydrogen],
        format="in_person",
        venue_name="The Hall",
        start=datetime(2030, 6, 2, 9, tzinfo=UTC),
    )
    make_event(title="Other", start=datetime(2030, 5, 3, 9, tzinfo=UTC))
    assert titles(client.get("/events/?topic=hydrogen")) == ["H online", "H in person"]
    assert titles(client.get("/events/?topic=hydrogen&format=in_person")) == ["H in person"]
    assert titles(client.get("/events/?month=2030-05")) == ["H online", "Other"]


def test_a_bad_filter_is_a_clear_400(client):
    response = client.get("/events/?month=1999-13&format=space")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There are no events listed in that month." in html
    assert "There is no such format." in html


def test_the_list_pages_by_key_without_gaps_or_repeats(client):
    start = timezone.now() + timedelta(days=1)
    for n in range(23):
        make_event(title=f"E{n:02d}", start=start + timedelta(hours=n))
    seen, url = [], "/events/"
    while url:
        response = client.get(url)
        seen += titles(response)
        page = response.context["page_obj"]
        url = f"/events/?before={page.older_key}" if page.has_older else None
    assert seen == [f"E{n:02d}" for n in range(23)]
    html = client.get("/events/").content.decode()
    assert ">Later</a>" in html


def test_from_the_latest_page_the_sooner_links_walk_back_to_the_soonest(client):
    start = timezone.now() + timedelta(days=1)
    for n in range(23):
        make_event(title=f"E{n:02d}", start=start + timedelta(hours=n))
    response = client.get("/events/?page=last")
    pages = [titles(response)]
    page = response.context["page_obj"]
    while page.has_newer:
        response = client.get(f"/events/?after={page.newer_key}")
        pages.append(titles(response))
        page = response.context["page_obj"]
    assert pages[0] == [f"E{n:02d}" for n in range(13, 23)]  # the latest ten, in start order
    assert pages[-1] == [f"E{n:02d}" for n in range(10)]  # back to the first page
    seen = [title for page_titles in pages for title in page_titles]
    assert sorted(set(seen)) == [f"E{n:02d}" for n in range(23)]


def test_past_events_come_newest_first(client):
    for n in range(3):
        make_event(title=f"P{n}", start=timezone.now() - timedelta(days=10 - n))
    assert titles(client.get("/events/past/")) == ["P2", "P1", "P0"]


def test_a_broken_page_key_is_a_400_not_a_500(client):
    assert client.get("/events/?before=yesterday").status_code == 400


@pytest.mark.parametrize("count", [1, 10])
def test_the_list_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    topics = [make_topic(), make_topic()]
    for n in range(count):
        make_event(topics=topics, start=timezone.now() + timedelta(days=n + 1))
    # The month span, the page, its topics, the probe beyond it, the topics the filter offers.
    with django_assert_max_num_queries(5):
        assert client.get("/events/").status_code == 200


def test_the_event_page_has_a_fixed_query_budget(client, django_assert_max_num_queries):
    event = make_event(
        topics=[make_topic() for _ in range(4)], speakers=[make_contact() for _ in range(3)]
    )
    event.related_posts.set([make_post() for _ in range(3)])
    # The event with its image; its files (slides, recordings), topics, speakers and related
    # posts.
    with django_assert_max_num_queries(5):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_the_page_shows_status_place_speakers_and_related_posts(client):
    speaker = make_contact(name="Dr Ada Byron")
    post = make_post(title="Why hydrogen")
    event = make_event(
        format="hybrid",
        venue_name="Hall <One>",
        venue_address="1 High Street\nLeeds",
        other_speakers="Sam Smith, engineer, Acme",
        event_status=EventStatus.CANCELLED,
        speakers=[speaker],
        joining_details="https://meet.example.com/secret-room",
    )
    event.related_posts.set([post])
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Cancelled" in html and "will not take place" in html
    assert "Hall &lt;One&gt;" in html and "Leeds" in html
    assert "Dr Ada Byron" in html and "Sam Smith, engineer, Acme" in html
    assert "Why hydrogen" in html
    # Joining details are for people who register, never the public page.
    assert "secret-room" not in html
    assert "Cancelled" in client.get("/events/").content.decode()


def test_a_past_event_says_it_has_happened_and_offers_its_recording(client):
    event = make_event(
        start=timezone.now() - timedelta(days=2), recording_url="https://video.example.com/1"
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "This event has happened." in html
    assert 'href="https://video.example.com/1"' in html
    assert "Add to Google Calendar" not in html


def test_the_page_offers_calendar_links(client):
    event = make_event(title="Grid & storage", start=datetime(2030, 7, 2, 8, tzinfo=UTC))
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{event.get_ics_url()}"' in html
    assert "calendar.google.com/calendar/render?action=TEMPLATE&amp;text=Grid+%26+storage" in html
    assert "dates=20300702T080000Z%2F20300702T100000Z" in html
    assert "outlook.office.com/calendar/0/deeplink/compose?" in html


def test_the_event_describes_itself_to_search_engines(client):
    event = make_event(
        start=datetime(2030, 3, 10, 10, tzinfo=UTC),
        event_status=EventStatus.RESCHEDULED,
        previous_start_at=datetime(2030, 3, 3, 10, tzinfo=UTC),
        format="hybrid",
        venue_name="The Hall",
        registration_url="https://tickets.example.com/1",
    )
    data = json_ld_of(client.get(event.get_absolute_url()).content.decode())
    assert data["@type"] == "Event"
    assert data["startDate"] == "2030-03-10T10:00:00+00:00"
    assert data["previousStartDate"] == "2030-03-03T10:00:00+00:00"
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]
    assert data["offers"]["price"] == "0"


def test_a_summer_event_has_its_bst_offset_in_the_data(client):
    event = make_event(start=datetime(2030, 7, 2, 8, tzinfo=UTC))
    data = json_ld_of(client.get(event.get_absolute_url()).content.decode())
    assert data["startDate"] == "2030-07-02T09:00:00+01:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"]["@type"] == "VirtualLocation"


def test_a_draft_event_is_not_found_by_readers(client):
    event = make_event(status="draft", publish_at=None)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(event.get_ics_url()).status_code == 404


def test_the_home_page_shows_the_next_three_events(client):
    for n in range(4):
        make_event(title=f"Next {n}", start=timezone.now() + timedelta(days=n + 1))
    make_event(title="Gone by", start=timezone.now() - timedelta(days=1))
    html = client.get("/").content.decode()
    assert [f"Next {n}" in html for n in range(4)] == [True, True, True, False]
    assert "Gone by" not in html


def test_a_topic_hub_shows_its_upcoming_events(client):
    topic = make_topic(name="Hydrogen", slug="hydrogen")
    make_event(title="Hydrogen workshop", topics=[topic], event_status=EventStatus.POSTPONED)
    make_event(title="Other workshop")
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Upcoming events" in html and "Hydrogen workshop" in html
    assert "Postponed" in html
    assert "Other workshop" not in html
    assert "/events/?topic=hydrogen" in html
