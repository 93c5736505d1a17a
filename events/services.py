"""Registration: take a place or join the waiting list, cancel, and give a freed place to the
first waiting. Each runs under a lock on the event's row, so fifty people registering at once
for the last ten places get exactly ten places (PostgreSQL: SELECT ... FOR UPDATE; SQLite
takes its write lock when the transaction begins, settings' transaction_mode IMMEDIATE)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from events.models import (
    Event,
    Registration,
    RegistrationEmail,
    RegistrationEmailKind,
    RegistrationState,
)
from outbox.delivery import outbox_enqueue

CANCEL_SALT = "events.registration-cancel"


class RegistrationRefused(Exception):  # noqa: N818 - an outcome with a reader's message
    """Raised with the reason readers see: registration is closed, the event cancelled..."""


@dataclass(frozen=True)
class Registered:
    registration: Registration
    created: bool  # False: that address was already registered (one registration each)


def cancel_token(registration):
    return signing.dumps(registration.pk, salt=CANCEL_SALT)


def cancel_url(registration):
    return reverse("events:cancel", kwargs={"token": cancel_token(registration)})


def registration_from_token(token):
    """The registration a cancel link names, or None for a forged or garbled one."""
    try:
        pk = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return Registration.objects.select_related("event").filter(pk=pk).first()


def _email(registration, kind):
    email = RegistrationEmail.objects.create(registration=registration, kind=kind)
    outbox_enqueue(email)


def places_taken(event):
    return event.registrations.filter(state=RegistrationState.PLACE).count()


def is_full(event):
    """Whether new registrations join the waiting list (one count, only for limited events)."""
    return event.capacity is not None and places_taken(event) >= event.capacity


def _fullness_changed(event):
    """Pages say whether an event is full: save its row when that changes (the last place
    taken, or one freed with nobody waiting), which purges its pages from every cache. Not
    on every registration: that would empty the in-app page cache fifty times a minute."""
    event.save(update_fields=["updated_at"])


def registration_create(
    *, event, name, email, organisation="", accessibility_needs="", consent_text
):
    """A place if one is left, else a place on the waiting list; the same address twice is
    the first registration again. Raises RegistrationRefused when registration is closed."""
    email = email.strip().lower()
    with transaction.atomic():
        # The lock every registration and cancellation of this event takes first.
        event = Event.objects.select_for_update().get(pk=event.pk)
        reason = event.registration_closed_reason() if event.is_live else "This event is not open."
        if reason:
            raise RegistrationRefused(reason)
        existing = event.registrations.filter(email=email).first()
        if existing is not None and existing.state != RegistrationState.CANCELLED:
            return Registered(existing, created=False)
        taken = places_taken(event) if event.capacity is not None else 0
        full = event.capacity is not None and taken >= event.capacity
        state = RegistrationState.WAITING if full else RegistrationState.PLACE
        fields = {
            "name": name,
            "organisation": organisation,
            "accessibility_needs": accessibility_needs,
            "consent_text": consent_text,
            "state": state,
        }
        if existing is not None:  # registering again after cancelling
            for field, value in fields.items():
                setattr(existing, field, value)
            existing.save()
            registration = existing
        else:
            registration = Registration.objects.create(event=event, email=email, **fields)
        _email(registration, RegistrationEmailKind(state))
        if state == RegistrationState.PLACE and taken + 1 == event.capacity:
            _fullness_changed(event)
    return Registered(registration, created=True)


def registration_cancel(*, registration):
    """Cancel it; a place given up goes to the first on the waiting list, who is emailed.
    Returns the registration promoted, if any."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.state == RegistrationState.CANCELLED:
            return None
        had_place = registration.state == RegistrationState.PLACE
        registration.state = RegistrationState.CANCELLED
        registration.save(update_fields=["state", "changed_at"])
        _email(registration, RegistrationEmailKind.CANCELLED)
        if not had_place or event.has_ended:
            return None
        first = event.registrations.filter(state=RegistrationState.WAITING).first()
        if first is None:
            if event.capacity is not None and places_taken(event) == event.capacity - 1:
                _fullness_changed(event)
            return None
        first.state = RegistrationState.PLACE
        first.save(update_fields=["state", "changed_at"])
        _email(first, RegistrationEmailKind.PROMOTED)
        return first


def registrations_purge(*, now=None):
    """Delete the registrations (and the emails they were owed) of events that ended more
    than EVENTS_REGISTRATION_RETENTION_DAYS ago; returns how many registrations went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EVENTS_REGISTRATION_RETENTION_DAYS)
    old = Registration.objects.filter(event__end_at__lte=cutoff)
    count = old.count()
    old.delete()
    return count


# How long before an event its reminder goes: "the day before", whenever the command runs.
REMINDER_BEFORE = timedelta(hours=24)


def reminders_send(*, now=None):
    """Owe each person with a place a reminder once their event is less than a day away
    (scheduled or rescheduled, live); each is owed once (a unique row). Returns how many."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        state=RegistrationState.PLACE,
        event__in=Event.objects.live()
        .filter(event_status__in=["scheduled", "rescheduled"])
        .filter(start_at__gt=now, start_at__lte=now + REMINDER_BEFORE),
    ).exclude(emails__kind=RegistrationEmailKind.REMINDER)
    count = 0
    for registration in due:
        with transaction.atomic():
            email, created = RegistrationEmail.objects.get_or_create(
                registration=registration, kind=RegistrationEmailKind.REMINDER
            )
            if created:
                outbox_enqueue(email)
                count += 1
    return count
