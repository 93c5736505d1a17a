"""Deadline reminders: one email, 7 days before an opportunity closes, to the subscribers of its topics.

The rule (issue 26): a confirmed subscriber to any of a live opportunity's topics gets one
reminder once the opportunity is within a week of closing; none for an opportunity that
opened less than a week before it closes (its "new opportunity" alert said it all), nor to
a subscriber alerted about it within the last day. Each reminder is a row
(`OpportunityReminder`, unique per subscriber and opportunity) sent through the outbox, so
it goes out once, survives a mail outage (the row waits, and `send_outbox` or the next run
retries it), and carries one-click unsubscribe. A closing date moved more than a week later
after a reminder went out owes one more; a smaller move owes none.

`opportunity_reminders_send()` is what the scheduler and `manage.py send_opportunity_reminders`
run; it may run as often as wanted and at overlapping times.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from ktnsite.models import OpportunityReminder
from mailinglist.models import Delivery, State, Subscriber
from mailinglist.sending import subscriber_message
from opportunities import deadlines
from opportunities.models import Opportunity
from outbox.delivery import OutboxSkip, OutboxState, outbox_drain
from publishing.sharing import absolute_url

# How long before the deadline the reminder goes, and the smallest move that owes another.
REMIND_BEFORE = timedelta(days=7)
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
        subscriber_ids = (
            Subscriber.objects.confirmed()
            .filter(topics__opportunities=opportunity)
            .exclude(pk__in=alerted)
            .exclude(pk__in=reminded)
            .values_list("pk", flat=True)
            .distinct()
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


def reminder_send(*, reminder, connection=None):
    """The reminder email, if the opportunity is still live and open and the reader still wants it."""
    opportunity = Opportunity.objects.live().filter(pk=reminder.opportunity_id).first()
    if opportunity is None:
        raise OutboxSkip("the opportunity is no longer public")
    if opportunity.is_closed:
        raise OutboxSkip("the opportunity has closed")
    if reminder.subscriber.state != State.CONFIRMED:
        raise OutboxSkip("the subscriber has unsubscribed")
    subscriber_message(
        subscriber=reminder.subscriber,
        subject=f"Closing soon: {opportunity.title}",
        template="opportunity_reminder",
        context={
            "title": opportunity.title,
            "summary": opportunity.standfirst,
            "funder": opportunity.funder,
            "closes": deadlines.when_text(opportunity.closes_at),
            "state_line": opportunity.state_line,
            "url": absolute_url(opportunity.get_absolute_url()),
            "apply_url": opportunity.apply_url,
        },
        connection=connection,
        # Stable per row and deadline: a copy re-sent after a crash is recognised as one.
        message_id=f"reminder-{reminder.pk}-{int(reminder.closes_at.timestamp())}",
    ).send()


def opportunity_reminders_send(*, now=None):
    """Record the reminders owed now, then send every reminder still owed (with retries)."""
    created = reminders_record(now=now)
    outcomes = outbox_drain(models_=[OpportunityReminder])
    return {
        "recorded": created,
        "sent": outcomes[OutboxState.SENT],
        "skipped": outcomes[OutboxState.SKIPPED],
        "failed": outcomes[OutboxState.PENDING] + outcomes[OutboxState.FAILED],
        "mail_server_down": bool(outcomes.get("mail server down")),
    }
