"""An event's time: stored in UTC, shown in UK time with GMT or BST named, across midnight and
across a change of the clocks."""

from datetime import UTC, datetime

import pytest

from events.models import EventStatus
from events.timing import when_text
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_a_winter_event_is_shown_in_gmt():
    # 10:00 UTC in March, before the clocks go forward, is 10am GMT.
    assert when_text(utc(2026, 3, 3, 10), utc(2026, 3, 3, 11, 30)) == (
        "Tuesday 3 March 2026, 10am to 11:30am GMT"
    )


def test_a_summer_event_is_shown_in_bst_an_hour_ahead_of_utc():
    assert when_text(utc(2026, 7, 14, 13), utc(2026, 7, 14, 15)) == (
        "Tuesday 14 July 2026, 2pm to 4pm BST"
    )


def test_an_event_across_midnight_names_both_days():
    assert when_text(utc(2026, 11, 27, 22), utc(2026, 11, 28, 1, 15)) == (
        "Friday 27 November, 10pm GMT to Saturday 28 November 2026, 1:15am GMT"
    )


def test_an_event_across_the_clocks_going_forward_names_each_zone():
    # Clocks go forward at 01:00 UTC on 29 March 2026: 00:30 GMT to 02:30 BST is 1 hour.
    assert when_text(utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)) == (
        "Sunday 29 March 2026, 12:30am GMT to 2:30am BST"
    )


def test_an_event_across_the_clocks_going_back_names_each_zone():
    # Clocks go back at 01:00 UTC on 25 October 2026: 01:30 BST (00:30 UTC) then 01:30 GMT.
    assert when_text(utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)) == (
        "Sunday 25 October 2026, 1:30am BST to 1:30am GMT"
    )


def test_midday_and_midnight_are_words():
    assert when_text(utc(2026, 1, 5, 12), utc(2026, 1, 6, 0)) == (
        "Monday 5 January, midday GMT to Tuesday 6 January 2026, midnight GMT"
    )


def test_the_page_shows_the_uk_time_and_zone(client):
    event = make_event(start=utc(2030, 7, 2, 8), hours=1)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Tuesday 2 July 2030, 9am to 10am BST" in html
    assert 'datetime="2030-07-02T09:00:00+01:00"' in html


def test_a_rescheduled_event_says_where_it_moved_from(client):
    event = make_event(
        start=utc(2030, 3, 10, 10),
        event_status=EventStatus.RESCHEDULED,
        previous_start_at=utc(2030, 3, 3, 10),
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Moved from 3 March" in html
    assert "Moved from 3 March" in client.get("/events/").content.decode()


def test_a_move_into_another_year_gives_the_old_year():
    event = make_event(
        start=utc(2031, 1, 10, 10),
        event_status=EventStatus.RESCHEDULED,
        previous_start_at=utc(2030, 12, 3, 10),
    )
    assert event.moved_from == "Moved from 3 December 2030"
