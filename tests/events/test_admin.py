"""The events admin: the publishing rules of posts, UK times, and clear messages for bad input."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group

from events.models import Event, EventStatus
from ktnsite.roles import EDITORS, editors_group_sync
from tests.factories import make_event, signed_in

pytestmark = pytest.mark.django_db

ADD = "/admin/events/event/add/"


def event_form(event=None, **changes):
    """The event form as an editor posts it: a webinar on 3 March 2026, 10:00 to 11:30 UK time."""
    data = {
        "title": event.title if event else "Funding briefing",
        "slug": event.slug if event else "funding-briefing",
        "standfirst": "How to apply for the next round.",
        "body": "<p>Agenda.</p>",
        "start_at_0": "03/03/2026",
        "start_at_1": "10:00:00",
        "end_at_0": "03/03/2026",
        "end_at_1": "11:30:00",
        "event_status": event.event_status if event else "scheduled",
        "format": "online",
        "_publishing": "draft",
        "status": "draft",
    }
    if event is not None:
        # The version the form was opened at: a change posted without it is refused.
        from publishing.editing import edit_token

        data["edit_base"] = edit_token(event)
    data.update(changes)
    return data


@pytest.fixture
def editor():
    from django.apps import apps

    editors_group_sync(apps)
    return signed_in("erin", groups=[EDITORS])


def test_times_are_entered_in_uk_time_and_stored_in_utc(editor):
    response = editor.post(
        ADD,
        event_form(
            start_at_0="14/07/2026", start_at_1="14:00:00", end_at_0="14/07/2026", end_at_1="16:00"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug="funding-briefing")
    assert event.start_at == datetime(2026, 7, 14, 13, tzinfo=UTC)  # 2pm BST
    assert event.status == "draft"


def test_an_end_before_the_start_is_refused_with_a_clear_message(editor):
    response = editor.post(ADD, event_form(end_at_1="09:00:00"))
    assert response.status_code == 200
    assert "The end must be after the start." in response.content.decode()
    assert not Event.objects.exists()


def test_an_event_longer_than_a_month_is_refused_with_a_clear_message(editor):
    response = editor.post(ADD, event_form(end_at_0="10/04/2026"))
    assert "An event lasts at most 31 days" in response.content.decode()
    assert not Event.objects.exists()


def test_an_in_person_event_needs_its_venue(editor):
    response = editor.post(ADD, event_form(format="in_person"))
    assert "Name the venue" in response.content.decode()
    assert not Event.objects.exists()


def test_rescheduling_keeps_the_old_date_by_itself(editor):
    event = make_event(
        start=datetime(2030, 3, 3, 10, tzinfo=UTC), hours=1, status="draft", publish_at=None
    )
    response = editor.post(
        f"/admin/events/event/{event.pk}/change/",
        event_form(
            event,
            event_status="rescheduled",
            start_at_0="10/03/2030",
            end_at_0="10/03/2030",
            end_at_1="11:00:00",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.previous_start_at == datetime(2030, 3, 3, 10, tzinfo=UTC)
    assert event.start_at == datetime(2030, 3, 10, 10, tzinfo=UTC)
    assert event.moved_from == "Moved from 3 March"


def test_rescheduled_without_a_new_date_is_refused(editor):
    response = editor.post(ADD, event_form(event_status="rescheduled"))
    assert "Say which date it was moved from" in response.content.decode()


def test_an_editor_without_the_publish_right_cannot_publish_an_event():
    writer = signed_in("wes", perms=["add_event", "change_event", "view_event"])
    response = writer.post(ADD, event_form(_publishing="publish", status="published"))
    assert response.status_code == 200
    assert "You do not have permission to publish events" in response.content.decode()
    assert not Event.objects.exists()


def test_editors_may_publish_events(editor):
    response = editor.post(ADD, event_form(_publishing="publish", status="published"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Event.objects.get().is_live


def test_each_change_readers_calendars_show_raises_the_sequence():
    event = make_event()
    assert event.sequence == 0
    event.title = "A new title"
    event.save()
    event.event_status = EventStatus.CANCELLED
    event.save()
    assert Event.objects.get().sequence == 2
    event.save()  # nothing a calendar shows changed
    assert Event.objects.get().sequence == 2


def test_the_change_list_shows_start_in_uk_time_and_status(editor):
    make_event(title="Summer webinar", start=datetime(2030, 7, 2, 8, tzinfo=UTC))
    html = editor.get("/admin/events/event/").content.decode()
    assert "02/07/2030 09:00 BST" in html
    assert "Summer webinar" in html


def test_the_editors_group_holds_the_event_rights():
    from django.apps import apps

    editors_group_sync(apps)
    codenames = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    assert {"add_event", "change_event", "delete_event", "publish_event"} <= codenames
