"""Staff and registrations: seen per event, exported as CSV only with the export right, and a
capacity never set below the places already given."""

import pytest
from django.apps import apps
from django.urls import reverse

from events.models import Registration
from ktnsite.roles import EDITORS, editors_group_sync
from tests.events.test_admin import event_form
from tests.factories import make_event, signed_in

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/events/registration/"


@pytest.fixture
def event():
    event = make_event(title="Grid briefing", registration_here=True, capacity=5)
    for n, state in enumerate(["place", "place", "place", "waiting"]):
        Registration.objects.create(
            event=event,
            name=f"=Person {n}",
            email=f"p{n}@example.com",
            consent_text="yes",
            state=state,
        )
    return event


@pytest.fixture
def editor():
    editors_group_sync(apps)
    return signed_in("erin", groups=[EDITORS])


def test_editors_see_who_registered_for_an_event(editor, event):
    html = editor.get(f"{CHANGELIST}?event__id__exact={event.pk}").content.decode()
    assert "p0@example.com" in html and "On the waiting list" in html
    page = editor.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "3 with a place, 1 waiting" in page


def test_editors_cannot_export_registrations_by_default(editor, event):
    html = editor.get(CHANGELIST).content.decode()
    assert "export_csv" not in html
    response = editor.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [r.pk for r in Registration.objects.all()]},
    )
    assert response.get("Content-Type", "").startswith("text/html")


def test_the_export_right_gives_a_csv_safe_in_spreadsheets(event):
    exporter = signed_in("xena", perms=["view_registration", "export_registration"])
    response = exporter.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [r.pk for r in Registration.objects.all()]},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "'=Person 0" in text  # a formula is never run by a spreadsheet
    assert text.count("Grid briefing") == 4


def test_a_capacity_below_the_places_given_is_refused(editor, event):
    response = editor.post(
        reverse("admin:events_event_change", args=[event.pk]),
        event_form(
            event,
            capacity="2",
            registration_here="on",
            start_at_0="03/03/2031",
            end_at_0="03/03/2031",
            _publishing="draft",
        ),
    )
    assert "3 people already have a place: the capacity cannot be lower." in (
        response.content.decode()
    )


def test_registrations_are_deleted_a_set_number_of_days_after_the_event(settings):
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    settings.EVENTS_REGISTRATION_RETENTION_DAYS = 90
    now = timezone.now()
    old = make_event(start=now - timedelta(days=91), registration_here=True)
    recent = make_event(start=now - timedelta(days=89), registration_here=True)
    for event in (old, recent):
        Registration.objects.create(
            event=event, name="Ada", email="ada@example.com", consent_text="yes", state="place"
        )
    out = io.StringIO()
    call_command("purge_registrations", stdout=out)
    assert "Deleted 1 registration(s)" in out.getvalue()
    assert list(Registration.objects.values_list("event_id", flat=True)) == [recent.pk]
