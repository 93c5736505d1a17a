"""Enquiry flows: store a reader's message first, then deliver it to the contact exactly once."""

import logging
import uuid
from collections import Counter
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact, Enquiry, EnquiryState
from publishing.sharing import absolute_url

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send; another may take it over.
# It is far longer than any SMTP exchange (EMAIL_TIMEOUT per step), so a live send is never
# taken over.
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_RETRY_DELAY = timedelta(hours=6)


class ContactInactive(Exception):
    """The contact has moved on and no longer receives enquiries."""


class ForwardRefused(Exception):
    """The enquiry cannot go to that lead: it is theirs already, or was forwarded to them."""


def enquiry_submit(*, contact, token, name, email, subject, message, consent_text, organisation=""):
    """Store an enquiry and have it delivered after the commit.

    Returns (enquiry, created). A token already used returns the stored enquiry and stores
    nothing, so a form posted twice is one enquiry, even when both posts race.
    """
    if not contact.is_active:
        raise ContactInactive(contact.name)
    try:
        with transaction.atomic():
            enquiry = Enquiry.objects.create(
                contact=contact,
                token=token,
                name=name,
                email=email,
                organisation=organisation,
                subject=subject,
                message=message,
                consent_text=consent_text,
            )
            pk = enquiry.pk
            transaction.on_commit(lambda: _enqueue_delivery(pk))
    except IntegrityError:
        existing = Enquiry.objects.filter(token=token).first()
        if existing is None:
            raise
        return existing, False
    return enquiry, True


def enquiry_forward(*, enquiry, to_contact, user):
    """Send a stored enquiry on to another lead, through the same outbox as a reader's.

    The forward is a new enquiry row addressed to `to_contact`, recording where it came from,
    who forwarded it and when; it is delivered after the commit like any other (claimed,
    retried, never sent twice). The sender is not sent a second copy. The original is marked
    handled: passing it on is how it was dealt with. Forwarding the same enquiry to the same
    lead again is refused, even when two clicks race, so it is delivered once.
    Raises ContactInactive for a lead who has moved on, ForwardRefused for the lead who
    already has it.
    """
    # The stored flag, not the caller's copy: the lead may have been deactivated meanwhile.
    if not Contact.objects.filter(pk=to_contact.pk, is_active=True).exists():
        raise ContactInactive(to_contact.name)
    if to_contact.pk == enquiry.contact_id:
        raise ForwardRefused(f"This enquiry is already addressed to {to_contact.name}.")
    now = timezone.now()
    try:
        with transaction.atomic():
            forward = Enquiry.objects.create(
                contact=to_contact,
                token=uuid.uuid4(),
                name=enquiry.name,
                email=enquiry.email,
                organisation=enquiry.organisation,
                subject=enquiry.subject,
                message=enquiry.message,
                consent_text=enquiry.consent_text,
                forwarded_from=enquiry,
                forwarded_by=user,
                forwarded_at=now,
            )
            Enquiry.objects.filter(pk=enquiry.pk, handled_at__isnull=True).update(handled_at=now)
            pk = forward.pk
            transaction.on_commit(lambda: _enqueue_delivery(pk))
    except IntegrityError:
        if Enquiry.objects.filter(forwarded_from=enquiry, contact=to_contact).exists():
            raise ForwardRefused(
                f"This enquiry has already been forwarded to {to_contact.name}."
            ) from None
        raise
    logger.info("Enquiry %s forwarded to %s by %s as %s", enquiry.pk, to_contact.slug, user, pk)
    return forward


def enquiry_deliver(*, enquiry_id):
    """Send one enquiry to its contact, then a copy to its sender; record what happened.

    Returns the enquiry's new state, or None when it was not claimable (already sent, or
    another worker holds it). The claim is one conditional UPDATE, so of two workers that
    meet the same enquiry only one sends it.
    """
    now = timezone.now()
    claimed = (
        Enquiry.objects.claimable(now=now, stale_before=now - CLAIM_TIMEOUT, due_only=False)
        .filter(pk=enquiry_id)
        .update(state=EnquiryState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    enquiry = Enquiry.objects.select_related(
        "contact", "forwarded_by", "forwarded_from__contact"
    ).get(pk=enquiry_id)
    error = None
    if enquiry.sent_at is None:
        try:
            _contact_message(enquiry).send()
        except Exception as exc:  # any failure must put the row back, never leave it claimed
            error = exc
        else:
            # Recorded at once: if the copy to the sender fails, a retry must not send the
            # contact a second one.
            enquiry.sent_at = timezone.now()
            Enquiry.objects.filter(pk=enquiry.pk).update(sent_at=enquiry.sent_at)
    # A forward's sender had their copy with the original enquiry.
    if error is None and enquiry.acknowledged_at is None and not enquiry.is_forward:
        try:
            _acknowledgement_message(enquiry).send()
        except Exception as exc:
            error = exc
        else:
            enquiry.acknowledged_at = timezone.now()

    enquiry.claimed_at = None
    if error is None:
        enquiry.state = EnquiryState.SENT
        enquiry.last_error = ""
        enquiry.next_attempt_at = None
    else:
        logger.warning(
            "Enquiry %s: delivery attempt %s failed: %s", enquiry.pk, enquiry.attempts, error
        )
        enquiry.last_error = f"{type(error).__name__}: {error}"[:2000]
        if enquiry.attempts >= settings.CONTACTS_ENQUIRY_MAX_ATTEMPTS:
            enquiry.state = EnquiryState.FAILED
            enquiry.next_attempt_at = None
        else:
            enquiry.state = EnquiryState.PENDING
            enquiry.next_attempt_at = timezone.now() + retry_delay(enquiry.attempts)
    enquiry.save(
        update_fields=[
            "state", "claimed_at", "last_error", "next_attempt_at", "sent_at", "acknowledged_at",
        ]
    )  # fmt: skip
    if enquiry.state == EnquiryState.PENDING:
        transaction.on_commit(
            lambda: _enqueue_delivery(enquiry.pk, run_after=enquiry.next_attempt_at)
        )
    return enquiry.state


def enquiries_deliver_pending(*, due_only=False, limit=None):
    """Deliver whatever is still pending (only what is due for a retry, with `due_only`).

    Safe to run at any time and as often as you like: each enquiry is claimed before it is
    sent. Returns a Counter of outcomes: sent, pending (will retry), failed, skipped.
    """
    now = timezone.now()
    ids = (
        Enquiry.objects.claimable(now=now, stale_before=now - CLAIM_TIMEOUT, due_only=due_only)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    outcomes = Counter()
    for pk in list(ids[:limit] if limit else ids):
        outcomes[enquiry_deliver(enquiry_id=pk) or "skipped"] += 1
    return outcomes


def enquiries_mark_handled(*, enquiries):
    """Record that an editor has dealt with these enquiries; returns how many changed."""
    return enquiries.filter(handled_at__isnull=True).update(handled_at=timezone.now())


def enquiries_resend_failed(*, enquiries):
    """Give failed enquiries a fresh set of attempts; returns how many will be resent.

    The contact's copy is not sent again if it already went; only what is missing is.
    """
    with transaction.atomic():
        ids = list(enquiries.filter(state=EnquiryState.FAILED).values_list("pk", flat=True))
        Enquiry.objects.filter(pk__in=ids, state=EnquiryState.FAILED).update(
            state=EnquiryState.PENDING, attempts=0, next_attempt_at=None
        )
        for pk in ids:
            transaction.on_commit(lambda pk=pk: _enqueue_delivery(pk))
    return len(ids)


def enquiries_purge_old(*, now=None):
    """Delete delivered enquiries older than CONTACTS_ENQUIRY_RETENTION_DAYS; returns how many.

    The site keeps a reader's personal data only as long as the retention policy says. Only
    delivered ones go: the contact has their copy by email, whereas a pending or failed
    enquiry exists nowhere else. A retention of 0 keeps everything.
    """
    days = settings.CONTACTS_ENQUIRY_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = Enquiry.objects.filter(state=EnquiryState.SENT, created_at__lt=cutoff).delete()
    return deleted


def retry_delay(attempts):
    """Exponential backoff: the base delay, doubled for each attempt made, up to six hours."""
    base = timedelta(seconds=settings.CONTACTS_ENQUIRY_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def _enqueue_delivery(enquiry_id, run_after=None):
    # Imported here because the task module imports this one.
    from contacts.tasks import deliver_enquiry

    task = deliver_enquiry
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the immediate backend cannot wait; send_pending_enquiries --due will
        task = task.using(run_after=run_after)
    try:
        task.enqueue(enquiry_id=enquiry_id)
    except Exception:
        # The row is the truth: a queue that is down loses nothing, the command sends it.
        logger.exception("Enquiry %s: could not enqueue delivery", enquiry_id)


def _mail_domain():
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"


def _context(enquiry):
    return {
        "enquiry": enquiry,
        "forwarded_by": person_name(enquiry.forwarded_by) if enquiry.is_forward else "",
        "contact": enquiry.contact,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "admin_url": absolute_url(reverse("admin:contacts_enquiry_change", args=[enquiry.pk])),
    }


def person_name(user):
    """How an email or the inbox names a colleague: full name, else username."""
    if user is None:
        return "a colleague"
    return user.get_full_name() or user.get_username()


def _contact_message(enquiry):
    context = _context(enquiry)
    message = EmailMultiAlternatives(
        subject=f"{'Forwarded enquiry' if enquiry.is_forward else 'Enquiry'}: {enquiry.subject}",
        body=render_to_string("contacts/enquiry_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[enquiry.contact.email],
        reply_to=[formataddr((enquiry.name, enquiry.email))],
        # A stable Message-ID lets mail systems discard a copy re-sent after a crash.
        headers={"Message-ID": f"<enquiry-{enquiry.token}@{_mail_domain()}>"},
    )
    message.attach_alternative(
        render_to_string("contacts/enquiry_email.html", context), "text/html"
    )
    return message


def _acknowledgement_message(enquiry):
    """A receipt to the address the sender gave: the contact's name and the time, nothing
    the sender typed (not their name, subject or message). Anyone may type any address into
    the form, so a copy of their words would let a stranger mail any text to anyone."""
    context = {
        "contact": enquiry.contact,
        "received": timezone.localtime(enquiry.created_at),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=f"Your message to {enquiry.contact.name} has arrived",
        body=render_to_string("contacts/enquiry_acknowledgement_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[enquiry.email],
        headers={
            "Message-ID": f"<enquiry-{enquiry.token}-copy@{_mail_domain()}>",
            # RFC 3834: an automatic message, so auto-responders do not answer it.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("contacts/enquiry_acknowledgement_email.html", context), "text/html"
    )
    return message
