"""The outbox for all mail: a row per message, claimed, sent, retried with backoff, or dead-lettered.

Any app's model becomes an outbox by inheriting `Outbox` and implementing `outbox_send()`.
The row is the record and the queue only a nudge: a request writes the row in its own
transaction and, after commit, asks the task queue to deliver it (`outbox_enqueue`); a lost
task, a worker that died, or a mail server that was down loses nothing, because
`manage.py send_outbox` (and the `drain_outbox` task) sends whatever is still due.

The delivery promise: **at least once**. Each attempt first claims its row with one
conditional UPDATE (pending and due, or a claim older than OUTBOX_CLAIM_TIMEOUT_SECONDS,
whose worker must have died), so two workers never send a row at the same time. A worker
that dies after the mail server accepted a message but before the row says "sent" leaves a
stale claim, which is taken over and sent again: a rare duplicate rather than a lost
message. Messages carry a stable Message-ID so mail systems can discard such a copy.
Every claim also queues a takeover (a `drain_outbox` task due just after the claim would
expire): if the worker is killed mid-send, the restarted worker runs it and takes the rows
over itself, without waiting for `send_outbox`.

A failed attempt puts the row back as pending, due again after a delay that starts at
OUTBOX_RETRY_SECONDS and doubles per attempt up to OUTBOX_MAX_RETRY_SECONDS; after
OUTBOX_MAX_ATTEMPTS the row is *failed* (the dead letter), which editors see in the admin
and can retry. `OutboxSkip` from `outbox_send()` marks a message that is no longer wanted
(the item was withdrawn, the reader unsubscribed) as skipped.
"""

import logging
import smtplib
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from outbox.queueing import backoff, task_enqueue

logger = logging.getLogger(__name__)

# Rows claimed in one UPDATE and recorded as sent in one UPDATE. Small enough that a
# batch is sent long before its claims go stale, and that a crash re-sends few.
CHUNK_SIZE = 50


class OutboxState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (gave up)"
    SKIPPED = "skipped", "Not sent (no longer wanted)"


class OutboxSkip(Exception):  # noqa: N818 - an outcome, not an error
    """Raised by `outbox_send()` for a message that should no longer go out."""


class OutboxQuerySet(models.QuerySet):
    def claimable(self, *, now=None, due_only=True):
        """Rows a sender may claim: pending (and due, unless `due_only` is off), or claimed so
        long ago that their worker must have died."""
        now = now or timezone.now()
        pending = Q(state=OutboxState.PENDING)
        if due_only:
            pending &= Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        stale = Q(state=OutboxState.SENDING, claimed_at__lt=now - claim_timeout())
        return self.filter(pending | stale)

    def dead(self):
        return self.filter(state=OutboxState.FAILED)


class Outbox(models.Model):
    """Delivery state for a message the site owes someone. Subclasses implement `outbox_send`."""

    state = models.CharField(
        max_length=10,
        choices=OutboxState.choices,
        default=OutboxState.PENDING,
        db_index=True,
        help_text="Pending: waiting to be sent or retried. Failed: gave up after every "
        "attempt; select it and choose “Retry”.",
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next delivery attempt is due."
    )
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Which worker's claim this is: the rows a batch UPDATE claimed are read back by it.
    claim = models.UUIDField(null=True, blank=True, editable=False)

    objects = OutboxQuerySet.as_manager()

    # A field of the subclass to stamp with the time the message was sent, if any.
    outbox_sent_field = None

    class Meta:
        abstract = True

    def outbox_send(self, *, connection=None):
        """Send this message (through `connection` when given); raise on failure, or
        OutboxSkip when it should no longer go out. Must record its own partial progress
        if it sends more than one email, so a retry sends only what is missing."""
        raise NotImplementedError

    @classmethod
    def outbox_due(cls, queryset):
        """Narrow what `send_outbox` picks up (e.g. leave weekly digests to their command)."""
        return queryset

    @classmethod
    def outbox_rows(cls, queryset):
        """The rows to send, with whatever they need fetched in the same query."""
        return queryset

    @classmethod
    def outbox_prepare(cls, rows):
        """Fetch, once for a batch of rows, what sending each of them needs."""


# --- settings -----------------------------------------------------------------------------


def claim_timeout():
    return timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT_SECONDS)


def retry_delay(attempts):
    """Exponential backoff: the base delay, doubled for each attempt made, up to the cap."""
    return backoff(
        attempts,
        base=timedelta(seconds=settings.OUTBOX_RETRY_SECONDS),
        cap=timedelta(seconds=settings.OUTBOX_MAX_RETRY_SECONDS),
    )


def outbox_email(*, template, context, message_id="", connection=None, **fields):
    """An email in plain text and HTML (`template`.txt and .html rendered with `context`),
    from DEFAULT_FROM_EMAIL. `message_id`, stable per outbox row, lets mail systems recognise
    and drop a copy re-sent after a crash (at least once). `fields` are EmailMultiAlternatives'
    own: subject, to, reply_to, headers."""
    headers = dict(fields.pop("headers", {}))
    if message_id:
        headers["Message-ID"] = f"<{message_id}@{_mail_domain()}>"
    message = EmailMultiAlternatives(
        body=render_to_string(f"{template}.txt", context),
        headers=headers,
        connection=connection,
        **fields,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def _mail_domain():
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"


def outbox_models():
    """Every installed model that is an outbox, whichever app defines it."""
    return [model for model in apps.get_models() if issubclass(model, Outbox)]


# --- sending ------------------------------------------------------------------------------


def outbox_enqueue(instance):
    """After the current transaction commits, ask the task queue to deliver this row.

    Call it in the transaction that wrote the row. If the queue is down, or cannot wait
    for a deferred retry, nothing is lost: `send_outbox` finds the row.
    """
    label, pk = instance._meta.label, instance.pk
    transaction.on_commit(lambda: _enqueue(label, pk))


def outbox_drain_later():
    """Queue a drain after the first retry delay, if any outbox still owes a message."""
    if any(model.objects.claimable().exists() for model in outbox_models()):
        when = timezone.now() + retry_delay(1)
        transaction.on_commit(lambda: _enqueue_drain(run_after=when))


def outbox_deliver(model, pk, *, due_only=False):
    """Claim and send one row now; returns its new state, or None if it was not claimable
    (sent already, or another worker holds it)."""
    claimed = _claim(model, [pk], due_only=due_only)
    if not claimed:
        return None
    _send_groups([[row] for row in claimed], send=None, connection=None)
    return claimed[0].state


def outbox_drain(*, models_=None, due_only=True, limit=None):
    """Send every due row of every outbox (or of `models_`); returns a Counter of outcomes.

    One SMTP connection serves the whole run. If the mail server cannot be reached, nothing
    is claimed and no attempt is counted; if it goes away mid-run, the run stops there and
    the rows it had claimed but not tried go back as they were.
    Safe to run at any time and as often as you like: every row is claimed before it is sent.
    """
    outcomes = Counter()
    connection = _open_connection()
    if connection is None:
        outcomes["mail server down"] += 1
        return outcomes
    try:
        for model in models_ or outbox_models():
            if not _drain_model(model, connection, due_only, limit, outcomes):
                break
    finally:
        connection.close()
    return outcomes


def outbox_send_grouped(model, pks, *, group_by, send, connection):
    """Claim rows and send them in groups, one email per group (a weekly digest).

    `group_by(row)` names each claimed row's group; `send(rows)` sends one group's email.
    Every row of a group records the group's outcome. Rows another worker holds are left
    to it. Returns a Counter of outcomes, one per group. Raises MailServerAway (after
    putting back what it had not tried) if the server goes away.
    """
    claimed = _claim(model, pks, due_only=True)
    groups = {}
    for row in claimed:
        groups.setdefault(group_by(row), []).append(row)
    return _send_groups(list(groups.values()), send=send, connection=connection)


def outbox_retry(queryset):
    """Give failed (dead-letter) rows a fresh set of attempts and queue them; returns how many."""
    model = queryset.model
    with transaction.atomic():
        ids = list(queryset.filter(state=OutboxState.FAILED).values_list("pk", flat=True))
        model.objects.filter(pk__in=ids, state=OutboxState.FAILED).update(
            state=OutboxState.PENDING, attempts=0, next_attempt_at=None, last_error=""
        )
        for pk in ids:
            transaction.on_commit(lambda pk=pk: _enqueue(model._meta.label, pk))
    return len(ids)


class MailServerAway(Exception):  # noqa: N818
    """The mail server went away mid-run (sending over a shared connection): stop; the
    rows not tried are back as they were, and later runs pick them up."""


def _open_connection():
    """An SMTP connection kept open for a whole run, or None when the server is away."""
    connection = get_connection()
    try:
        connection.open()
    except OSError as error:
        logger.warning("Outbox: mail server unavailable, nothing sent this run: %s", error)
        return None
    return connection


def _drain_model(model, connection, due_only, limit, outcomes):
    last_pk = 0
    while True:
        size = CHUNK_SIZE
        if limit is not None:
            size = min(size, limit - sum(outcomes.values()))
            if size <= 0:
                return False
        due = model.outbox_due(model.objects.claimable(due_only=due_only))
        pks = list(due.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:size])
        if not pks:
            return True
        last_pk = pks[-1]
        claimed = _claim(model, pks, due_only=due_only)
        try:
            outcomes.update(
                _send_groups([[row] for row in claimed], send=None, connection=connection)
            )
        except MailServerAway:
            outcomes[OutboxState.PENDING] += 1
            return False


def _claim(model, pks, *, due_only):
    """Claim these rows for this worker in one conditional UPDATE; returns those it got."""
    now = timezone.now()
    token = uuid.uuid4()
    model.objects.claimable(now=now, due_only=due_only).filter(pk__in=pks).update(
        state=OutboxState.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
    )
    rows = list(model.outbox_rows(model.objects.filter(claim=token, state=OutboxState.SENDING)))
    if rows:
        _schedule_takeover(now)
        model.outbox_prepare(rows)
    return rows


def _takeover_slack():
    """How long after a claim expires its takeover runs: a twentieth of the timeout (at
    least a second), so claims made close together share one takeover task."""
    return max(claim_timeout() / 20, timedelta(seconds=1))


def _schedule_takeover(claimed_at):
    """Queue a drain for just after claims made now expire, unless one is queued for then.

    The task row is queued before anything is sent, so a worker killed mid-send leaves it
    behind: the restarted worker (or any other) runs it and takes the stale claims over.
    One task covers every claim of its time slot (a cache flag per slot, shared by all
    processes); a drain that finds nothing stale costs one query per outbox model.
    """
    slack = _takeover_slack()
    due = claimed_at + claim_timeout() + slack
    slot = int(due.timestamp() // slack.total_seconds())
    try:
        first = cache.add(f"outbox-takeover:{slot}", 1, timeout=int(slack.total_seconds()) * 3)
    except Exception:  # a cache that is away: queue it anyway, a spare drain is harmless
        first = True
    if first:
        # Due at the end of its slot, so it runs after every claim the slot covers expired.
        run_after = datetime.fromtimestamp((slot + 1) * slack.total_seconds(), tz=UTC)
        transaction.on_commit(lambda: _enqueue_drain(run_after=run_after))


def _send_groups(groups, *, send, connection):
    """Send each group of claimed rows (one email per group) and record the outcomes: sent
    and skipped rows together at the end, failures at once with their backoff."""
    outcomes = Counter()
    sent, skipped = [], []
    try:
        for index, rows in enumerate(groups):
            try:
                if send is None:
                    rows[0].outbox_send(connection=connection)
                else:
                    send(rows)
            except OutboxSkip as skip:
                skipped.append((rows, str(skip)))
                outcomes[OutboxState.SKIPPED] += 1
                continue
            except Exception as error:  # any failure puts the rows back, never left claimed
                outcomes[_record_failure(rows, error)] += 1
                if connection is not None and _server_away(error):
                    _release([row for later in groups[index + 1 :] for row in later])
                    raise MailServerAway from error
                continue
            sent.extend(rows)
            outcomes[OutboxState.SENT] += 1
    finally:
        # One UPDATE for the whole batch: a crash before it leaves the rows claimed, and
        # their claims are taken over (at least once: these few may go out twice).
        _record_sent(sent)
        for rows, reason in skipped:
            _record(rows, state=OutboxState.SKIPPED, last_error=reason)
    return outcomes


def _record_sent(rows):
    if not rows:
        return
    model = type(rows[0])
    fields = {"state": OutboxState.SENT, "last_error": "", "next_attempt_at": None}
    if model.outbox_sent_field:
        fields[model.outbox_sent_field] = timezone.now()
    model.objects.filter(pk__in=[row.pk for row in rows]).update(
        claim=None, claimed_at=None, **fields
    )
    for row in rows:
        row.state, row.claim, row.claimed_at, row.last_error = OutboxState.SENT, None, None, ""


def _record_failure(rows, error):
    model = type(rows[0])
    logger.warning(
        "%s %s: delivery attempt failed: %s", model.__name__, [r.pk for r in rows], error
    )
    message = f"{type(error).__name__}: {error}"[:2000]
    for row in rows:
        if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            _record([row], state=OutboxState.FAILED, last_error=message)
        else:
            when = timezone.now() + retry_delay(row.attempts)
            _record([row], state=OutboxState.PENDING, last_error=message, next_attempt_at=when)
            if len(rows) == 1:  # a row of its own: its task comes back when it is due
                label, pk = model._meta.label, row.pk
                transaction.on_commit(
                    lambda label=label, pk=pk, when=when: _enqueue(label, pk, run_after=when)
                )
    return rows[0].state


def _release(rows):
    """Put back rows claimed but never tried: their attempt is not counted."""
    if rows:
        type(rows[0]).objects.filter(pk__in=[row.pk for row in rows]).update(
            state=OutboxState.PENDING, claim=None, claimed_at=None, attempts=F("attempts") - 1
        )


def _record(rows, *, state, last_error, next_attempt_at=None):
    for row in rows:
        row.state, row.last_error, row.next_attempt_at = state, last_error, next_attempt_at
        row.claim = row.claimed_at = None
    type(rows[0]).objects.filter(pk__in=[row.pk for row in rows]).update(
        state=state, last_error=last_error, next_attempt_at=next_attempt_at,
        claim=None, claimed_at=None,
    )  # fmt: skip


def _server_away(error):
    """A connection problem (as opposed to this one message or address being refused)."""
    if isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
        return False
    return isinstance(error, OSError)


def _enqueue(label, pk, run_after=None):
    # Imported here: the task module imports this one.
    from outbox.tasks import deliver_outbox_message

    # The row is the truth: a queue that is down (or cannot wait) loses nothing.
    task_enqueue(
        deliver_outbox_message,
        run_after=run_after,
        label=label,
        pk=pk,
        failure=f"delivery of {label} {pk}; send_outbox sends it",
    )


def _enqueue_drain(run_after=None):
    from outbox.tasks import drain_outbox

    # A drain that cannot be queued is made up for by send_outbox.
    task_enqueue(drain_outbox, run_after=run_after, failure="a drain; send_outbox sends it")
