"""Deadline reminders: one email, 7 days before an opportunity closes, to the subscribers of its topics.

The rule (issue 26): a confirmed subscriber who chose "remind me before deadlines" in their
preferences (`Subscriber.deadline_reminders`) and follows any of a live opportunity's topics,
or a reader who asked from the opportunity's page and confirmed by email
(`OpportunityWatch`), gets one reminder once the opportunity is within a week of closing; none for an opportunity that
opened less than a week before it closes (its "new opportunity" alert said it all), nor to
a subscriber alerted about it within the last day. Each reminder is a row
(`OpportunityReminder`, unique per subscriber and opportunity) sent through the outbox, so
it goes out once, survives a mail outage (the row waits, and `send_outbox` or the next run
retries it), and carries one-click unsubscribe. A closing date moved more than a week later
after a reminder went out owes one more; a smaller move owes none.

`opportunity_reminders_send()` is what the scheduler and `manage.py send_opportunity_reminders`
run; it may run as often as wanted and at overlapping times.
"""

import logging
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from ktnsite.models import OpportunityReminder, OpportunityWatch
from mailinglist.models import Delivery, State, Subscriber
from mailinglist.sending import subscriber_message
from mailinglist.subscribers import normalise_email
from opportunities import deadlines
from opportunities.models import Opportunity
from outbox.delivery import (
    MailServerAway,
    OutboxSkip,
    OutboxState,
    outbox_enqueue,
    outbox_send_grouped,
)
from publishing.sharing import absolute_url

logger = logging.getLogger(__name__)

# Subscribers whose reminders are claimed and sent per batch.
BATCH_SIZE = 200

# How long before the deadline the reminder goes, and the smallest move that owes another.
REMIND_BEFORE = deadlines.CLOSING_SOON  # Opportunity.reminds_before_closing says the same
MOVED_ENOUGH = timedelta(days=7)
# A subscriber alerted about the opportunity this recently needs no reminder yet.
RECENTLY_ALERTED = timedelta(days=1)


def reminders_due(*, now=None):
    """Live opportunities whose reminders are due now: open, closing within a week, and
    open for at least a week in all."""
    now = now or timezone.now()
    return (
        Opportunity.objects.live()
        .filter(opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + REMIND_BEFORE)
        .filter(closes_at__gte=F("opens_at") + REMIND_BEFORE)
        .order_by("closes_at", "pk")
    )


def reminders_record(*, now=None):
    """Record (as pending outbox rows) every reminder now owed; returns how many."""
    now = now or timezone.now()
    content_type = ContentType.objects.get_for_model(Opportunity)
    created = 0
    for opportunity in reminders_due(now=now).only("pk", "closes_at", "opens_at"):
        # A deadline moved more than a week later than the one reminded of owes a new one.
        OpportunityReminder.objects.filter(
            opportunity=opportunity,
            state__in=[OutboxState.SENT, OutboxState.SKIPPED],
            closes_at__lt=opportunity.closes_at - MOVED_ENOUGH,
        ).update(
            state=OutboxState.PENDING,
            closes_at=opportunity.closes_at,
            attempts=0,
            last_error="",
            next_attempt_at=None,
            sent_at=None,
        )
        alerted = Delivery.objects.filter(
            content_type=content_type,
            object_id=opportunity.pk,
            created_at__gt=now - RECENTLY_ALERTED,
        ).values("subscriber_id")
        reminded = OpportunityReminder.objects.filter(opportunity=opportunity).values(
            "subscriber_id"
        )
        # Readers of its topics who chose reminders (not those alerted a moment ago), and
        # readers who asked for this one from its page and confirmed by email.
        followers = Subscriber.objects.filter(
            deadline_reminders=True, topics__opportunities=opportunity
        ).exclude(pk__in=alerted)
        watchers = OpportunityWatch.objects.filter(
            opportunity=opportunity, confirmed_at__isnull=False
        ).values("subscriber_id")
        subscriber_ids = (
            Subscriber.objects.confirmed()
            .filter(Q(pk__in=followers.values("pk")) | Q(pk__in=watchers))
            .exclude(pk__in=reminded)
            .values_list("pk", flat=True)
            .order_by("pk")
        )
        # ignore_conflicts: the unique row is what stops two overlapping runs owing anyone
        # the same reminder twice.
        rows = OpportunityReminder.objects.bulk_create(
            [
                OpportunityReminder(
                    subscriber_id=pk, opportunity=opportunity, closes_at=opportunity.closes_at
                )
                for pk in subscriber_ids.iterator(chunk_size=2000)
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        created += len(rows)
    return created


def _still_open(now):
    return Opportunity.objects.live().filter(closes_at__gt=now)


def reminders_email_send(rows, *, connection=None):
    """One email to one subscriber listing every deadline of theirs in these reminder rows,
    soonest first, if they still want it. (`reminders_send_grouped` gives each subscriber's
    due rows together; a row retried on its own comes alone.)"""
    subscriber = rows[0].subscriber
    if subscriber.state != State.CONFIRMED:
        raise OutboxSkip("the subscriber has unsubscribed")
    ids = {row.opportunity_id for row in rows}
    opportunities = list(_still_open(timezone.now()).filter(pk__in=ids).order_by("closes_at", "pk"))
    if not opportunities:
        raise OutboxSkip("the opportunity is no longer open to applications")
    items = [
        {
            "title": opportunity.title,
            "summary": opportunity.standfirst,
            "funder": opportunity.funder,
            "closes": deadlines.when_text(opportunity.closes_at),
            "state_line": opportunity.state_line,
            "url": absolute_url(opportunity.get_absolute_url()),
            "apply_url": opportunity.apply_url,
        }
        for opportunity in opportunities
    ]
    if len(items) == 1:
        subject = f"Closing soon: {items[0]['title']}"
    else:
        subject = f"{len(items)} funding deadlines in the coming week"
    first = min(rows, key=lambda row: row.pk)
    subscriber_message(
        subscriber=subscriber,
        subject=subject,
        template="opportunity_reminder",
        context={"items": items},
        connection=connection,
        # Stable per group and deadline: a copy re-sent after a crash is recognised as one.
        message_id=f"reminder-{first.pk}-{len(rows)}-{int(first.closes_at.timestamp())}",
    ).send()


def reminders_send_grouped(*, now=None):
    """Send every reminder owed, one email per subscriber listing all their due deadlines.

    Rows whose opportunity is no longer public and open are skipped first, so a group's one
    outcome (sent, retried, failed) is true of every row in it. Rows are claimed per batch of
    subscribers through the outbox (`outbox_send_grouped`): two runs at once never send a
    row twice, and a mail outage leaves them pending for the next run.
    """
    now = now or timezone.now()
    tally = Counter()
    tally[OutboxState.SKIPPED] += (
        OpportunityReminder.objects.claimable(now=now)
        .filter(state=OutboxState.PENDING)
        .exclude(opportunity__in=_still_open(now).values("pk"))
        .update(state=OutboxState.SKIPPED, last_error="the opportunity is no longer open")
    )
    connection = get_connection()
    try:
        connection.open()
    except OSError as error:
        logger.warning("Mail server unavailable, no deadline reminder sent this run: %s", error)
        tally["mail server down"] += 1
        return tally
    owed = (
        OpportunityReminder.objects.claimable(now=now)
        .values_list("subscriber_id", flat=True)
        .distinct()
        .order_by("subscriber_id")
    )
    last = 0
    try:
        while batch := list(owed.filter(subscriber_id__gt=last)[:BATCH_SIZE]):
            last = batch[-1]
            pks = OpportunityReminder.objects.claimable(now=now).filter(subscriber_id__in=batch)
            tally.update(
                outbox_send_grouped(
                    OpportunityReminder,
                    list(pks.values_list("pk", flat=True)),
                    group_by=lambda row: row.subscriber_id,
                    send=lambda rows: reminders_email_send(rows, connection=connection),
                    connection=connection,
                )
            )
    except MailServerAway:
        logger.warning("Reminders stopped: the mail server went away; the next run goes on")
        tally["mail server down"] += 1
    finally:
        connection.close()
    return tally


def opportunity_reminders_send(*, now=None):
    """Record the reminders owed now, then send every reminder still owed (with retries),
    one email per subscriber. Counts are of emails, except "recorded" (of reminders)."""
    created = reminders_record(now=now)
    outcomes = reminders_send_grouped(now=now)
    return {
        "recorded": created,
        "sent": outcomes[OutboxState.SENT],
        "skipped": outcomes[OutboxState.SKIPPED],
        "failed": outcomes[OutboxState.PENDING] + outcomes[OutboxState.FAILED],
        "mail_server_down": bool(outcomes.get("mail server down")),
    }


# --- "remind me" from an opportunity's page -----------------------------------------------

WATCH_CONFIRM = "ktnsite.watch.confirm"


def watch_consent_wording(opportunity):
    """The words a reader agrees to on an opportunity's page; kept with a new address."""
    # One template writes the words for the form and for the record, so they cannot differ.
    return render_to_string(
        "ktnsite/includes/remind_me_consent.txt",
        {"site_name": settings.SITE_NAME, "opportunity": opportunity},
    ).strip()


def watch_token(watch):
    return signing.dumps(str(watch.key), salt=WATCH_CONFIRM, compress=True)


def watch_from_token(token):
    """The reminder request a confirmation link names, or None (tampered, truncated,
    expired, or its address erased since)."""
    try:
        key = signing.loads(
            token or "",
            salt=WATCH_CONFIRM,
            max_age=timedelta(days=settings.MAILINGLIST_CONFIRM_DAYS),
        )
    except signing.BadSignature:
        return None
    return (
        OpportunityWatch.objects.select_related("subscriber", "opportunity").filter(key=key).first()
    )


def watch_request(*, email, opportunity):
    """Record a reader's "remind me" for one opportunity and owe them the confirmation email.

    An address not on the list becomes a pending subscriber with no areas of interest: it
    will hear of nothing but what it asks for. Whatever the address, the caller shows the
    same answer, so the page never tells whether an address is subscribed. Asking again
    while a confirmation waits sends one; asking after confirming sends nothing.
    """
    email = normalise_email(email)
    now = timezone.now()
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(
            email__iexact=email,
            defaults={
                "email": email,
                "consent_text": watch_consent_wording(opportunity),
                "requested_at": now,
            },
        )
        watch, created = OpportunityWatch.objects.get_or_create(
            subscriber=subscriber, opportunity=opportunity
        )
        watch = OpportunityWatch.objects.select_for_update().get(pk=watch.pk)
        if watch.confirmed_at is not None:
            return watch
        if not created and watch.state != OutboxState.PENDING:
            # Its earlier email went (or gave up): owe a fresh one.
            OpportunityWatch.objects.filter(pk=watch.pk).update(
                state=OutboxState.PENDING,
                attempts=0,
                last_error="",
                next_attempt_at=None,
                requested_at=now,
            )
        outbox_enqueue(watch)
    return watch


def watch_confirm(*, watch):
    """The reader followed the emailed link: the reminder is owed from now. A pending
    address is proven by it; one that had unsubscribed comes back for this alone (no areas,
    no reminders but those it asks for)."""
    now = timezone.now()
    with transaction.atomic():
        watch = OpportunityWatch.objects.select_for_update().get(pk=watch.pk)
        subscriber = Subscriber.objects.select_for_update().get(pk=watch.subscriber_id)
        if subscriber.state != State.CONFIRMED:
            if subscriber.state == State.UNSUBSCRIBED:
                subscriber.topics.clear()
                subscriber.deadline_reminders = False
                subscriber.consent_text = watch_consent_wording(watch.opportunity)
            subscriber.state = State.CONFIRMED
            subscriber.confirmed_at = now
            subscriber.save(
                update_fields=["state", "confirmed_at", "deadline_reminders", "consent_text"]
            )
        if watch.confirmed_at is None:
            watch.confirmed_at = now
            watch.save(update_fields=["confirmed_at"])
    return watch


def watch_confirmation_send(*, watch, connection=None):
    """The email with the link that confirms a reader's "remind me"."""
    if watch.confirmed_at is not None:
        raise OutboxSkip("already confirmed")
    opportunity = Opportunity.objects.live().filter(pk=watch.opportunity_id).first()
    if opportunity is None or opportunity.is_closed:
        raise OutboxSkip("the opportunity is no longer open to applications")
    path = reverse("reminder_confirm")
    subscriber_message(
        subscriber=watch.subscriber,
        subject=f"Confirm your reminder: {opportunity.title}",
        template="reminder_confirm",
        context={
            "title": opportunity.title,
            "closes": deadlines.when_text(opportunity.closes_at),
            "url": absolute_url(opportunity.get_absolute_url()),
            "confirm_url": absolute_url(f"{path}?{urlencode({'token': watch_token(watch)})}"),
            "confirm_days": settings.MAILINGLIST_CONFIRM_DAYS,
        },
        connection=connection,
        message_id=f"watch-{watch.pk}-{int(watch.requested_at.timestamp())}",
    ).send()
