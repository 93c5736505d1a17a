"""Mailing-list email: the messages, and how each outbox row (sign-up email, alert, digest) is sent."""

import logging

from django.conf import settings
from django.core.mail import get_connection

from mailinglist.models import Delivery, EmailKind, Frequency, State, Subscriber
from mailinglist.tokens import CONFIRM, PREFERENCES, UNSUBSCRIBE, token_url
from outbox.delivery import (
    MailServerAway,
    OutboxSkip,
    OutboxState,
    outbox_email,
    outbox_send_grouped,
)
from publishing import registry
from publishing.sharing import absolute_url

logger = logging.getLogger(__name__)

BATCH_SIZE = 200


def subscriber_message(*, subscriber, subject, template, context, connection=None, message_id=""):
    """An email to one subscriber: plain text and HTML, with one-click unsubscribe headers."""
    unsubscribe_url = token_url(subscriber, UNSUBSCRIBE)
    subject = " ".join(subject.split())  # no line breaks in a header
    context = {
        "subject": subject,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "subscriber": subscriber,
        "unsubscribe_url": unsubscribe_url,
        # Only a confirmed address may manage preferences: a pending one confirms first.
        "preferences_url": (
            token_url(subscriber, PREFERENCES) if subscriber.state == State.CONFIRMED else ""
        ),
        **context,
    }
    headers = {
        # RFC 2369 and RFC 8058: mail clients show an "Unsubscribe" button that POSTs.
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return outbox_email(
        template=f"mailinglist/email/{template}",
        context=context,
        message_id=message_id,
        connection=connection,
        subject=subject,
        to=[subscriber.email],
        headers=headers,
    )


def item_context(item):
    """What an alert or a digest says of one item. A type that declares `alert_facts` (an
    event: when and where it happens) has those lines instead of its publication date, which
    would read as the event's date."""
    content_type = registry.for_model(type(item))
    facts_of = content_type.alert_facts if content_type is not None else None
    return {
        "title": item.title,
        "summary": getattr(item, "standfirst", "") or getattr(item, "summary", ""),
        "url": absolute_url(item.get_absolute_url()),
        "publish_at": item.publish_at,
        "facts": list(facts_of(item)) if facts_of is not None else [],
    }


# --- sign-up emails (SignupEmail.outbox_send) ---------------------------------------------


def signup_email_send(*, email, connection=None):
    """The confirmation link (pending address) or the preferences link (confirmed one)."""
    subscriber = email.subscriber
    if email.kind == EmailKind.CONFIRM and subscriber.state == State.PENDING:
        message = subscriber_message(
            subscriber=subscriber,
            subject=f"Confirm your subscription to {settings.SITE_NAME}",
            template="confirm",
            context={
                "confirm_days": settings.MAILINGLIST_CONFIRM_DAYS,
                "confirm_url": token_url(subscriber, CONFIRM),
            },
            connection=connection,
            message_id=f"signup-{email.pk}",
        )
    elif email.kind == EmailKind.PREFERENCES and subscriber.state == State.CONFIRMED:
        message = subscriber_message(
            subscriber=subscriber,
            subject=f"Your {settings.SITE_NAME} mailing list preferences",
            template="preferences",
            context={},
            connection=connection,
            message_id=f"signup-{email.pk}",
        )
    else:
        raise OutboxSkip(f"the subscriber is now {subscriber.get_state_display().lower()}")
    message.send()


# --- alerts (Delivery.outbox_send) --------------------------------------------------------


def live_items(rows):
    """{(content_type_id, object_id): item} for those of the rows' items still live."""
    wanted = {}
    for row in rows:
        wanted.setdefault(row.content_type, set()).add(row.object_id)
    items = {}
    for content_type, ids in wanted.items():
        model = content_type.model_class()
        if model is None:
            continue
        for item in model.objects.live().filter(pk__in=ids):
            items[(content_type.pk, item.pk)] = item
    return items


def delivery_send(*, delivery, connection=None):
    """One item to one immediate subscriber, if it is still live and they still want it."""
    item = getattr(delivery, "live_item", None)
    if item is None:
        item = live_items([delivery]).get((delivery.content_type_id, delivery.object_id))
    if item is None:
        raise OutboxSkip("the item is no longer public")
    if delivery.subscriber.state != State.CONFIRMED:
        raise OutboxSkip("the subscriber has unsubscribed")
    subscriber_message(
        subscriber=delivery.subscriber,
        subject=item.title,
        template="alert",
        context=item_context(item),
        connection=connection,
        message_id=f"delivery-{delivery.pk}",
    ).send()


# --- weekly digests -----------------------------------------------------------------------


def digests_send():
    """One email per weekly subscriber gathering every item owed to them since the last.

    The digest is sent through the outbox too: its deliveries are claimed together (rows
    another run claimed first are left to it), sent as one email, and recorded together:
    sent, or back to pending with the outbox's backoff, or failed after the last attempt.
    """
    tally = {"sent": 0, "skipped": 0, "failed": 0}
    connection = get_connection()
    try:
        connection.open()
    except OSError as error:
        logger.warning("Mail server unavailable, no digest sent this run: %s", error)
        return tally
    try:
        _digests_send(connection, tally)
    except MailServerAway:
        logger.warning("Digests stopped: the mail server went away; the next run goes on")
    finally:
        connection.close()
    return tally


def _digests_send(connection, tally):
    weekly = (
        Subscriber.objects.confirmed()
        .filter(frequency=Frequency.WEEKLY, deliveries__state=OutboxState.PENDING)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    last_pk = 0
    while True:
        batch = list(weekly.filter(pk__gt=last_pk)[:BATCH_SIZE])
        if not batch:
            break
        last_pk = batch[-1]
        pks = (
            Delivery.objects.claimable()
            .filter(subscriber_id__in=batch)
            .values_list("pk", flat=True)
        )
        outcomes = outbox_send_grouped(
            Delivery,
            list(pks),
            group_by=lambda row: row.subscriber_id,
            send=lambda rows: _send_digest(rows, connection),
            connection=connection,
        )
        tally["sent"] += outcomes[OutboxState.SENT]
        tally["skipped"] += outcomes[OutboxState.SKIPPED]
        tally["failed"] += outcomes[OutboxState.PENDING] + outcomes[OutboxState.FAILED]


def _send_digest(rows, connection):
    """One subscriber's digest: every item of theirs still live, newest first. If none is,
    the digest is not wanted (skipped)."""
    items = sorted(
        (row.live_item for row in rows if row.live_item is not None),
        key=lambda item: item.publish_at,
        reverse=True,
    )
    if not items:
        raise OutboxSkip("no item is public any more")
    subscriber = rows[0].subscriber
    if subscriber.state != State.CONFIRMED:
        raise OutboxSkip("the subscriber has unsubscribed")
    subscriber_message(
        subscriber=subscriber,
        subject=f"Your weekly update from {settings.SITE_NAME}",
        template="digest",
        context={"items": [item_context(item) for item in items]},
        connection=connection,
        message_id=f"digest-{min(row.pk for row in rows)}-{len(rows)}",
    ).send()
