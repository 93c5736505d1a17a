"""Subscribers: sign-up (double opt-in), confirmation, preferences, unsubscribe and erasure."""

from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from mailinglist.models import Delivery, EmailKind, SignupEmail, State, Subscriber
from outbox.delivery import OutboxState, outbox_enqueue


def normalise_email(email):
    """Trim, and lower-case the domain (which is case-insensitive); keep the local part."""
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def subscriber_signup(*, email, topics, consent_text):
    """Record a sign-up and, after commit, email the address.

    A new, pending or unsubscribed address is (re)asked to confirm; a confirmed one is sent
    a link to its preferences instead and nothing about it changes. The caller shows the
    same answer in every case, so the page never tells whether an address is subscribed.
    The email is an outbox row (SignupEmail) written in the same transaction.
    """
    email = normalise_email(email)
    now = timezone.now()
    with transaction.atomic():
        # The case-insensitive unique constraint makes concurrent sign-ups of one address
        # meet here: the losers' inserts fail and get_or_create returns the winner's row.
        subscriber, created = Subscriber.objects.get_or_create(
            email__iexact=email,
            defaults={"email": email, "consent_text": consent_text, "requested_at": now},
        )
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.state == State.CONFIRMED:
            kind = EmailKind.PREFERENCES
        else:
            kind = EmailKind.CONFIRM
            subscriber.state = State.PENDING
            subscriber.consent_text = consent_text
            subscriber.requested_at = now
            subscriber.save(update_fields=["state", "consent_text", "requested_at"])
            subscriber.topics.set(topics)
        # One email of each kind waiting at a time: asking again while one waits sends one.
        owed = subscriber.signup_emails.filter(kind=kind, state=OutboxState.PENDING).first()
        if owed is None:
            owed = SignupEmail.objects.create(subscriber=subscriber, kind=kind)
        outbox_enqueue(owed)
    return subscriber


def subscriber_confirm(*, subscriber):
    """Confirm a pending subscriber; confirming twice changes nothing."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.state != State.CONFIRMED:
            subscriber.state = State.CONFIRMED
            subscriber.confirmed_at = timezone.now()
            subscriber.save(update_fields=["state", "confirmed_at"])
    return subscriber


def subscriber_update_preferences(*, subscriber, topics, frequency, deadline_reminders=None):
    """Save areas of interest, frequency and (unless None) the choice of deadline reminders,
    from the signed preferences link.

    The link arrived in the subscriber's own inbox, so saving also (re)subscribes someone
    who had unsubscribed: the address is proven.
    """
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        subscriber.frequency = frequency
        fields = ["frequency"]
        if deadline_reminders is not None:
            subscriber.deadline_reminders = deadline_reminders
            fields.append("deadline_reminders")
        if subscriber.state != State.CONFIRMED:
            subscriber.state = State.CONFIRMED
            subscriber.confirmed_at = timezone.now()
            fields += ["state", "confirmed_at"]
        subscriber.save(update_fields=fields)
        subscriber.topics.set(topics)
    return subscriber


def subscriber_unsubscribe(*, subscriber):
    """Unsubscribe from everything at once; doing it again changes nothing."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.state != State.UNSUBSCRIBED:
            subscriber.state = State.UNSUBSCRIBED
            subscriber.unsubscribed_at = timezone.now()
            subscriber.save(update_fields=["state", "unsubscribed_at"])
        subscriber.deliveries.filter(state=OutboxState.PENDING).update(state=OutboxState.SKIPPED)
    return subscriber


def subscribers_erase(*, subscribers):
    """Erase subscribers on request: their rows, emails, deliveries and admin history."""
    ids = [subscriber.pk for subscriber in subscribers]
    content_type = ContentType.objects.get_for_model(Subscriber)
    with transaction.atomic():
        # The admin's history keeps each object's email as its description; erasure
        # means those lines go too.
        LogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(pk) for pk in ids]
        ).delete()
        Delivery.objects.filter(subscriber_id__in=ids).delete()
        SignupEmail.objects.filter(subscriber_id__in=ids).delete()
        count, _ = Subscriber.objects.filter(pk__in=ids).delete()
    return count


def subscribers_purge_unconfirmed(*, now=None):
    """Delete sign-ups never confirmed within the confirmation link's lifetime."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MAILINGLIST_CONFIRM_DAYS)
    stale = Subscriber.objects.filter(state=State.PENDING, requested_at__lt=cutoff)
    return subscribers_erase(subscribers=list(stale.only("pk")))
