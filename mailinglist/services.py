"""Mailing-list flows: sign-up, confirmation, preferences, unsubscribe, alerts and digests."""

import logging
import smtplib
import uuid
from datetime import timedelta
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from mailinglist.models import (
    Alert,
    Delivery,
    DeliveryStatus,
    EmailOwed,
    Frequency,
    State,
    Subscriber,
)
from mailinglist.tokens import CONFIRM, PREFERENCES, UNSUBSCRIBE, token_url
from publishing.sharing import absolute_url

logger = logging.getLogger(__name__)

# A failed delivery is retried by later runs, this many times in all, then left as failed.
MAX_ATTEMPTS = 5
BATCH_SIZE = 200
# How long an item with no topics waits for them before it is taken to have none.
TOPICLESS_GRACE = timedelta(hours=1)
# A batch is sent and recorded within minutes; a row "sending" for longer was left by a run
# that died in between.
STUCK_AFTER = timedelta(hours=1)


def normalise_email(email):
    """Trim, and lower-case the domain (which is case-insensitive); keep the local part."""
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


# --- subscribers ------------------------------------------------------------------------


def subscriber_signup(*, email, topics, consent_text):
    """Record a sign-up and, after commit, email the address.

    A new, pending or unsubscribed address is (re)asked to confirm; a confirmed one is sent
    a link to its preferences instead and nothing about it changes. The caller shows the
    same answer in every case, so the page never tells whether an address is subscribed.
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
            subscriber.email_owed = EmailOwed.PREFERENCES
            subscriber.save(update_fields=["email_owed"])
        else:
            subscriber.state = State.PENDING
            subscriber.consent_text = consent_text
            subscriber.requested_at = now
            subscriber.email_owed = EmailOwed.CONFIRM
            subscriber.save(update_fields=["state", "consent_text", "requested_at", "email_owed"])
            subscriber.topics.set(topics)
        transaction.on_commit(partial(_enqueue_subscriber_email, subscriber.pk))
    return subscriber


def _enqueue_subscriber_email(subscriber_id):
    from mailinglist.tasks import send_subscriber_email

    send_subscriber_email.enqueue(subscriber_id=subscriber_id)


def subscriber_email_send(*, subscriber_id):
    """Send the sign-up email a subscriber is owed, if any; True if one went out.

    The owed marker is cleared by a conditional update before sending, so two senders
    (the task and a scheduled run) never both send it; a failure puts it back.
    """
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not subscriber.email_owed:
        return False
    kind = subscriber.email_owed
    if not Subscriber.objects.filter(pk=subscriber.pk, email_owed=kind).update(email_owed=""):
        return False  # someone else is sending it
    if kind == EmailOwed.CONFIRM and subscriber.state == State.PENDING:
        message = subscriber_message(
            subscriber=subscriber,
            subject=f"Confirm your subscription to {settings.SITE_NAME}",
            template="confirm",
            context={
                "confirm_days": settings.MAILINGLIST_CONFIRM_DAYS,
                "confirm_url": token_url(subscriber, CONFIRM),
            },
        )
    elif kind == EmailOwed.PREFERENCES and subscriber.state == State.CONFIRMED:
        message = subscriber_message(
            subscriber=subscriber,
            subject=f"Your {settings.SITE_NAME} mailing list preferences",
            template="preferences",
            context={},
        )
    else:
        return False
    try:
        message.send()
    except OSError:
        Subscriber.objects.filter(pk=subscriber.pk, email_owed="").update(email_owed=kind)
        raise
    return True


def subscriber_emails_send():
    """Send every sign-up email still owed (the task's safety net); return how many."""
    sent = 0
    for pk in Subscriber.objects.exclude(email_owed="").values_list("pk", flat=True):
        try:
            sent += subscriber_email_send(subscriber_id=pk)
        except OSError as error:
            logger.warning("Sign-up emails stopped, the mail server is away: %s", error)
            break
    return sent


def subscriber_confirm(*, subscriber):
    """Confirm a pending subscriber; confirming twice changes nothing."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.state != State.CONFIRMED:
            subscriber.state = State.CONFIRMED
            subscriber.confirmed_at = timezone.now()
            subscriber.save(update_fields=["state", "confirmed_at"])
    return subscriber


def subscriber_update_preferences(*, subscriber, topics, frequency):
    """Save areas of interest and frequency from the signed preferences link.

    The link arrived in the subscriber's own inbox, so saving also (re)subscribes someone
    who had unsubscribed: the address is proven.
    """
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        subscriber.frequency = frequency
        fields = ["frequency"]
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
        subscriber.deliveries.filter(status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SKIPPED
        )
    return subscriber


def subscribers_erase(*, subscribers):
    """Erase subscribers on request: their rows, deliveries and admin history naming them."""
    ids = [subscriber.pk for subscriber in subscribers]
    content_type = ContentType.objects.get_for_model(Subscriber)
    with transaction.atomic():
        # The admin's history keeps each object's email as its description; erasure
        # means those lines go too.
        LogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(pk) for pk in ids]
        ).delete()
        Delivery.objects.filter(subscriber_id__in=ids).delete()
        count, _ = Subscriber.objects.filter(pk__in=ids).delete()
    return count


def subscribers_purge_unconfirmed(*, now=None):
    """Delete sign-ups never confirmed within the confirmation link's lifetime."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MAILINGLIST_CONFIRM_DAYS)
    stale = Subscriber.objects.filter(state=State.PENDING, requested_at__lt=cutoff)
    return subscribers_erase(subscribers=list(stale.only("pk")))


# --- email ------------------------------------------------------------------------------


def subscriber_message(*, subscriber, subject, template, context, connection=None):
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
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"mailinglist/email/{template}.txt", context),
        to=[subscriber.email],
        headers={
            # RFC 2369 and RFC 8058: mail clients show an "Unsubscribe" button that POSTs.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
    message.attach_alternative(
        render_to_string(f"mailinglist/email/{template}.html", context), "text/html"
    )
    return message


def _item_context(item):
    return {
        "title": item.title,
        "summary": getattr(item, "standfirst", "") or getattr(item, "summary", ""),
        "url": absolute_url(item.get_absolute_url()),
        "publish_at": item.publish_at,
    }


# --- alerts -----------------------------------------------------------------------------


def alert_owed(*, model, publish_at, now=None):
    """The alert rule: an item of an alerted model is alerted when it goes live, unless it is
    dated before the alert window (deliberately backdated, archive material).

    Publishing stamps the moment an item went live as its publish time, so a draft started
    days ago and published now is dated now and alerted; the one Alert per item (see
    alert_record) makes it once, however often it is saved, unpublished or republished.
    """
    # The concrete model's label, so a save through a proxy (an admin view) counts too.
    if model._meta.concrete_model._meta.label not in settings.MAILINGLIST_ALERT_MODELS:
        return False
    now = now or timezone.now()
    window = timedelta(hours=settings.MAILINGLIST_ALERT_MAX_AGE_HOURS)
    return publish_at is not None and publish_at >= now - window


def alert_note(*, model, item_pk, publish_at, now=None):
    """One sentence for the editor about to publish: will subscribers be alerted?"""
    if model._meta.concrete_model._meta.label not in settings.MAILINGLIST_ALERT_MODELS:
        return None
    now = now or timezone.now()
    if item_pk is not None:
        sent = Alert.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=item_pk,
            fanned_out_at__isnull=False,
        )
        if sent.exists():
            return "Subscribers were alerted to it before, so they will not be alerted again."
    if not alert_owed(model=model, publish_at=publish_at, now=now):
        hours = settings.MAILINGLIST_ALERT_MAX_AGE_HOURS
        return (
            f"Subscribers will not be alerted: its publish time is more than {hours} hours "
            "ago, so it counts as backdated."
        )
    when = "when it goes live" if publish_at > now else "now"
    return f"Confirmed subscribers to its topics will be emailed an alert {when}."


def alert_record(*, instance, now=None):
    """Note that an item saved as published will owe its subscribers an alert.

    Called for every such save, so it is idempotent: one Alert per item, and an item that
    has already been fanned out is never alerted again, however often it is edited.
    """
    now = now or timezone.now()
    if not alert_owed(model=type(instance), publish_at=instance.publish_at, now=now):
        return None
    content_type = ContentType.objects.get_for_model(instance)
    alert, created = Alert.objects.get_or_create(
        content_type=content_type, object_id=instance.pk, defaults={"due_at": instance.publish_at}
    )
    if not created and alert.fanned_out_at is None and alert.due_at != instance.publish_at:
        Alert.objects.filter(pk=alert.pk, fanned_out_at__isnull=True).update(
            due_at=instance.publish_at
        )
    # After commit, so the topics saved with the item are there when the task reads them.
    transaction.on_commit(partial(_enqueue_alerts, instance.publish_at, now))
    return alert


def _enqueue_alerts(due_at, now):
    from django_tasks import default_task_backend

    from mailinglist.tasks import send_alerts

    if due_at <= now:
        send_alerts.enqueue()
    elif default_task_backend.supports_defer:
        # A queue that can wait (the database backend) sends a scheduled item on time;
        # `manage.py send_alerts` on a schedule covers every other case.
        send_alerts.using(run_after=due_at).enqueue()


def alerts_discover(*, now=None):
    """Record alerts for recent live items that no save announced.

    Publishing by `QuerySet.update()` (a bulk action, a script) sends no signal; this sweep
    means such items are still alerted, by the next scheduled run.
    """
    now = now or timezone.now()
    since = now - timedelta(hours=settings.MAILINGLIST_ALERT_MAX_AGE_HOURS)
    found = 0
    for label in settings.MAILINGLIST_ALERT_MODELS:
        model = apps.get_model(label)  # by name: the mailing list imports no content app
        content_type = ContentType.objects.get_for_model(model)
        known = Alert.objects.filter(content_type=content_type).values("object_id")
        missing = (
            model.objects.live()
            .filter(publish_at__gte=since)
            .exclude(pk__in=known)
            .values_list("pk", "publish_at")
        )
        found += len(
            Alert.objects.bulk_create(
                [Alert(content_type=content_type, object_id=pk, due_at=at) for pk, at in missing],
                ignore_conflicts=True,
            )
        )
    return found


def alerts_fan_out(*, now=None):
    """Turn every due alert into one delivery per interested, confirmed subscriber."""
    now = now or timezone.now()
    alerts_discover(now=now)
    created = 0
    due = Alert.objects.filter(fanned_out_at__isnull=True, due_at__lte=now)
    for alert in due.select_related("content_type"):
        model = alert.content_type.model_class()
        item = model and model.objects.live().filter(pk=alert.object_id).first()
        if item is None:
            # Withdrawn, deleted or moved later: a scheduled one keeps its alert at its new
            # time; anything else is forgotten, and publishing it again records it anew.
            later = model and model.objects.scheduled().filter(pk=alert.object_id).first()
            if later is not None:
                Alert.objects.filter(pk=alert.pk).update(due_at=later.publish_at)
            else:
                Alert.objects.filter(pk=alert.pk, fanned_out_at__isnull=True).delete()
            continue
        topic_ids = list(item.topics.values_list("pk", flat=True))
        if not topic_ids and alert.due_at > now - TOPICLESS_GRACE:
            # Saved outside a transaction, an item's topics are set just after it went
            # live: leave it for a later run rather than tell nobody about it.
            continue
        subscriber_ids = (
            Subscriber.objects.confirmed()
            .filter(topics__in=topic_ids)
            .values_list("pk", flat=True)
            .distinct()
        )
        # ignore_conflicts: the unique (subscriber, item) row is what stops two
        # overlapping runs from owing, and so sending, anyone the same item twice.
        rows = Delivery.objects.bulk_create(
            [
                Delivery(subscriber_id=pk, content_type_id=alert.content_type_id, object_id=item.pk)
                for pk in subscriber_ids
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        created += len(rows)
        Alert.objects.filter(pk=alert.pk).update(fanned_out_at=now)
    return created


def _claim(queryset):
    """Mark a batch as ours, atomically: rows another run claimed first are not touched."""
    claim = uuid.uuid4()
    ids = list(queryset.values_list("pk", flat=True)[:BATCH_SIZE])
    if not ids:
        return None, []
    Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, claim=claim, claimed_at=timezone.now()
    )
    rows = list(
        Delivery.objects.filter(claim=claim, status=DeliveryStatus.SENDING).select_related(
            "subscriber", "content_type"
        )
    )
    return claim, rows


def _live_items(rows):
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


def _mark_finished(*, sent, skipped):
    """Mark a batch of deliveries sent or skipped in two updates, not one per email."""
    if sent:
        Delivery.objects.filter(pk__in=sent).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), claim=None
        )
    if skipped:
        Delivery.objects.filter(pk__in=skipped).update(status=DeliveryStatus.SKIPPED, claim=None)


def _release(rows, error):
    """Put rows back for a later run, or give up on them after MAX_ATTEMPTS."""
    for row in rows:
        attempts = row.attempts + 1
        Delivery.objects.filter(pk=row.pk).update(
            status=DeliveryStatus.FAILED if attempts >= MAX_ATTEMPTS else DeliveryStatus.PENDING,
            claim=None,
            attempts=attempts,
            last_error=str(error)[:2000],
        )


def _open_connection():
    """An SMTP connection kept open for a whole run, or None when the server is away."""
    connection = get_connection()
    try:
        connection.open()
    except OSError as error:
        logger.warning("Mail server unavailable, nothing sent this run: %s", error)
        return None
    return connection


def deliveries_send():
    """Send every pending delivery owed to an immediate subscriber; return a tally."""
    tally = {"sent": 0, "skipped": 0, "failed": 0}
    pending = Delivery.objects.filter(
        status=DeliveryStatus.PENDING,
        subscriber__state=State.CONFIRMED,
        subscriber__frequency=Frequency.IMMEDIATE,
    ).order_by("pk")
    connection = _open_connection()
    if connection is None:
        return tally
    last_pk = 0  # rows that fail in this run wait for a later run
    try:
        while True:
            _, rows = _claim(pending.filter(pk__gt=last_pk))
            if not rows:
                break
            last_pk = max(row.pk for row in rows)
            items = _live_items(rows)
            sent, skipped = [], []
            try:
                for index, row in enumerate(rows):
                    item = items.get((row.content_type_id, row.object_id))
                    if item is None or row.subscriber.state != State.CONFIRMED:
                        skipped.append(row.pk)
                        continue
                    message = subscriber_message(
                        subscriber=row.subscriber,
                        subject=item.title,
                        template="alert",
                        context=_item_context(item),
                        connection=connection,
                    )
                    try:
                        message.send()
                    except (smtplib.SMTPRecipientsRefused, ValueError) as error:
                        # This address (or this message) is the problem, not the server.
                        _release([row], error)
                        tally["failed"] += 1
                        continue
                    except OSError as error:  # the mail server went away: stop, retry later
                        logger.warning("Alert delivery stopped: %s", error)
                        _release(rows[index:], error)
                        tally["failed"] += len(rows) - index
                        return tally
                    sent.append(row.pk)
            finally:
                # Marked a batch at a time (one commit, not one per email). A crash before
                # this leaves rows "sending", never re-sent: at most once, as promised.
                _mark_finished(sent=sent, skipped=skipped)
                tally["sent"] += len(sent)
                tally["skipped"] += len(skipped)
    finally:
        connection.close()
    return tally


def stuck_deliveries(*, now=None):
    """Deliveries a dead run left "sending": whether they went out is unknown.

    They are never re-sent (that could send an item twice), so an operator is told and
    decides, from the admin's deliveries list filtered by "Being sent".
    """
    now = now or timezone.now()
    return Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - STUCK_AFTER)


def alerts_send(*, now=None):
    """What the task and `manage.py send_alerts` run: fan out due alerts, send immediates."""
    signups = subscriber_emails_send()
    created = alerts_fan_out(now=now)
    tally = {"signup_emails": signups, "deliveries": created, **deliveries_send()}
    tally["stuck"] = stuck_deliveries(now=now).count()
    if tally["stuck"]:
        logger.error(
            "%d alert deliveries have been 'being sent' for over %s: a run stopped before "
            "recording them. They are not retried; check them in the admin.",
            tally["stuck"],
            STUCK_AFTER,
        )
    return tally


def digests_send():
    """One email per weekly subscriber gathering every item owed to them since the last."""
    tally = {"sent": 0, "skipped": 0, "failed": 0}
    weekly = (
        Subscriber.objects.confirmed()
        .filter(frequency=Frequency.WEEKLY, deliveries__status=DeliveryStatus.PENDING)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    connection = _open_connection()
    if connection is None:
        return tally
    last_pk = 0
    try:
        while True:
            batch = list(weekly.filter(pk__gt=last_pk)[:BATCH_SIZE])
            if not batch:
                break
            last_pk = batch[-1]
            # One claim for the batch: rows another run claimed first are not touched, so
            # overlapping runs never put one item in two digests.
            claim = uuid.uuid4()
            Delivery.objects.filter(subscriber_id__in=batch, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.SENDING, claim=claim, claimed_at=timezone.now()
            )
            rows = list(
                Delivery.objects.filter(claim=claim).select_related("subscriber", "content_type")
            )
            items = _live_items(rows)
            owed, skipped, sent = {}, [], []
            for row in rows:
                item = items.get((row.content_type_id, row.object_id))
                if item is None:
                    skipped.append(row.pk)
                else:
                    owed.setdefault(row.subscriber, []).append((row, item))
            try:
                for subscriber, pairs in owed.items():
                    ordered = sorted(pairs, key=lambda pair: pair[1].publish_at, reverse=True)
                    message = subscriber_message(
                        subscriber=subscriber,
                        subject=f"Your weekly update from {settings.SITE_NAME}",
                        template="digest",
                        context={"items": [_item_context(item) for _, item in ordered]},
                        connection=connection,
                    )
                    try:
                        message.send()
                    except OSError as error:
                        logger.warning("Digest to subscriber %s failed: %s", subscriber.pk, error)
                        _release([row for row, _ in pairs], error)
                        tally["failed"] += 1
                        continue
                    sent += [row.pk for row, _ in pairs]
                    tally["sent"] += 1
            finally:
                _mark_finished(sent=sent, skipped=skipped)
                tally["skipped"] += len(skipped)
    finally:
        connection.close()
    return tally
