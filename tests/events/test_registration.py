"""Registering here: a place or the waiting list, one registration per address, the emails with
the calendar file, cancelling by the signed link, a freed place given to the first waiting."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from events.models import EventStatus, Registration
from events.services import cancel_url, registration_create
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def form(**fields):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "organisation": "Analytical Engines Ltd",
        "accessibility_needs": "Step-free access, please.",
        "consent": "on",
    }
    data.update(fields)
    return data


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    """A reader's registration posted; what waits for the commit (the emails) then runs."""

    def send(event, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/events/{event.slug}/register/", form(**fields))

    return send


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def send(url):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url)

    return send


@pytest.fixture
def event():
    return make_event(
        title="Grid briefing",
        registration_here=True,
        capacity=2,
        joining_details="https://meet.example.com/room-42",
    )


def test_a_reader_registers_and_is_emailed_the_calendar_file_and_joining_details(event, register):
    response = register(event)
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/registered/"
    (registration,) = Registration.objects.all()
    assert registration.state == "place" and registration.email == "ada@example.com"
    (message,) = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.subject == "Your place: Grid briefing"
    assert "https://meet.example.com/room-42" in message.body
    assert cancel_url(registration) in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name == f"{event.slug}.ics" and mimetype.startswith("text/calendar")
    (item,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(item["SUMMARY"]) == "Grid briefing"


def test_no_page_shows_anyones_details_or_the_joining_link(client, event, register):
    register(event)
    for path in (event.get_absolute_url(), f"/events/{event.slug}/registered/"):
        html = client.get(path).content.decode()
        assert "ada@example.com" not in html and "room-42" not in html


def test_when_full_people_join_the_waiting_list(client, event, register):
    register(event, email="one@example.com")
    register(event, email="two@example.com")
    register(event, email="three@example.com")
    states = dict(Registration.objects.values_list("email", "state"))
    assert states == {
        "one@example.com": "place",
        "two@example.com": "place",
        "three@example.com": "waiting",
    }
    assert mail.outbox[-1].subject == "You are on the waiting list: Grid briefing"
    assert not mail.outbox[-1].attachments
    assert "room-42" not in mail.outbox[-1].body
    assert "join the waiting list" in client.get(event.get_absolute_url()).content.decode()


def test_the_same_address_registering_twice_is_one_registration(event, register):
    register(event, email="Ada@Example.com")
    response = register(event, email="ada@example.com")
    assert response.status_code == 302  # the same answer: nothing learnt about the address
    assert Registration.objects.count() == 1
    assert len(mail.outbox) == 1


def test_cancelling_by_the_link_gives_the_place_to_the_first_waiting(client, event, register, post):
    for address in ("one@example.com", "two@example.com", "three@example.com", "four@example.com"):
        register(event, email=address)
    first = Registration.objects.get(email="one@example.com")
    url = cancel_url(first)
    page = client.get(url)
    assert "Cancel your registration?" in page.content.decode()
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    assert Registration.objects.get(pk=first.pk).state == "place"  # a GET changes nothing
    mail.outbox.clear()
    response = post(url)
    assert "Your registration is cancelled" in response.content.decode()
    states = dict(Registration.objects.values_list("email", "state"))
    assert states["one@example.com"] == "cancelled"
    assert states["three@example.com"] == "place"  # first on the list
    assert states["four@example.com"] == "waiting"
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "A place has come up for you: Grid briefing",
        "Registration cancelled: Grid briefing",
    ]
    promoted = next(m for m in mail.outbox if m.subject.startswith("A place"))
    assert promoted.to == ["three@example.com"] and promoted.attachments


def test_a_forged_or_garbled_cancel_link_is_a_clear_404(client, event, register):
    register(event)
    registration = Registration.objects.get()
    forged = cancel_url(registration).replace(":", "x", 1)
    response = client.post(forged)
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert Registration.objects.get().state == "place"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"event_status": EventStatus.CANCELLED}, "This event is cancelled."),
        (
            {"registration_closes_at": timezone.now() - timedelta(minutes=1)},
            "Registration has closed.",
        ),
    ],
)
def test_a_cancelled_or_closed_event_takes_no_registrations(
    client, event, change, message, register
):
    for field, value in change.items():
        setattr(event, field, value)
    event.save()
    response = register(event)
    assert response.status_code == 409
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_a_past_event_takes_no_registrations():
    past = make_event(registration_here=True, start=timezone.now() - timedelta(days=1))
    with pytest.raises(Exception, match="This event has happened."):
        registration_create(event=past, name="A", email="a@example.com", consent_text="yes")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"email": "not-an-address"}, "Enter an email address like name@example.com."),
        ({"accessibility_needs": "x" * 5000}, "Keep it under 1,000 characters (it has 5000)."),
        ({"consent": ""}, "Tick the box to agree"),
        ({"name": ""}, "Enter your name."),
    ],
)
def test_bad_input_gets_a_clear_message_and_a_400(client, event, fields, message, register):
    response = register(event, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_markup_typed_into_the_form_is_shown_as_text_in_the_email(client, event, register):
    register(event, name="<b>Ada</b>")
    html = mail.outbox[0].alternatives[0][0]
    assert "&lt;b&gt;Ada&lt;/b&gt;" in html


def test_an_event_without_registration_here_has_no_form(client):
    plain = make_event()
    assert client.get(f"/events/{plain.slug}/register/").status_code == 404


def test_a_post_from_another_site_is_refused(client, event):
    response = client.post(
        f"/events/{event.slug}/register/", form(), HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_a_full_event_says_so_to_search_engines(client, event, register):
    from tests.events.test_pages import json_ld_of

    register(event, email="one@example.com")
    offer = json_ld_of(client.get(event.get_absolute_url()).content.decode())["offers"]
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["url"].endswith(f"/events/{event.slug}/register/")
    register(event, email="two@example.com")
    offer = json_ld_of(client.get(event.get_absolute_url()).content.decode())["offers"]
    assert offer["availability"] == "https://schema.org/SoldOut"


def test_the_day_before_reminder_goes_once_to_people_with_a_place(
    django_capture_on_commit_callbacks,
):
    from django.core.management import call_command

    soon = make_event(
        title="Tomorrow's briefing",
        registration_here=True,
        capacity=1,
        start=timezone.now() + timedelta(hours=20),
        joining_details="https://meet.example.com/room-7",
    )
    later = make_event(registration_here=True, start=timezone.now() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=soon, name="A", email="a@example.com", consent_text="yes")
        registration_create(event=soon, name="W", email="w@example.com", consent_text="yes")
        registration_create(event=later, name="L", email="l@example.com", consent_text="yes")
    mail.outbox.clear()
    for _ in range(3):  # as cron runs it every five minutes
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_event_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (reminder,) = mail.outbox
    assert reminder.to == ["a@example.com"]  # not the waiting list, not the later event
    assert reminder.subject.startswith("Reminder: Tomorrow's briefing, ")
    assert "room-7" in reminder.body and reminder.attachments
