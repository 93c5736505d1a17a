"""Enquiry flows: store a reader's message first, then deliver it through the outbox."""

import logging
import uuid
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact, Enquiry, EnquiryState
from outbox.delivery import (
    outbox_deliver,
    outbox_drain,
    outbox_email,
    outbox_enqueue,
    outbox_retry,
)
from publishing.sharing import absolute_url

logger = logging.getLogger(__name__)


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
            enquiry_enqueue(enquiry=enquiry)
    except IntegrityError:
        existing = Enquiry.objects.filter(token=token).first()
        if existing is None:
            raise
        return existing, False
    return enquiry, True


def enquiry_forward(*, enquiry, to_contact, user):
    """Send a stored enquiry on to another lead, through the same outbox as a reader's.

    The forward is a new enquiry row addressed to `to_contact`, recording where it came from,
    who forwarded it and when; it is delivered after the commit like any other enquiry, by
    outbox.delivery (claimed, retried, dead-lettered). The sender is not sent a second copy. The original is marked
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
            enquiry_enqueue(enquiry=forward)
    except IntegrityError:
        if Enquiry.objects.filter(forwarded_from=enquiry, contact=to_contact).exists():
            raise ForwardRefused(
                f"This enquiry has already been forwarded to {to_contact.name}."
            ) from None
        raise
    logger.info("Enquiry %s forwarded to %s by %s as %s", enquiry.pk, to_contact.slug, user, pk)
    return forward


def enquiry_deliver(*, enquiry_id):
    """Deliver one enquiry now, through the outbox; returns its new state, or None when it
    was not claimable (already sent, or another worker holds it)."""
    return outbox_deliver(Enquiry, enquiry_id)


def enquiry_enqueue(*, enquiry):
    """Have an enquiry (new, forwarded, or put back to pending) delivered after the commit.

    The one way to send an enquiry: call it in the transaction that wrote the row. Delivery
    is the outbox's (outbox.delivery): at least once, retried with backoff, dead-lettered.
    """
    outbox_enqueue(enquiry)


def enquiry_send(*, enquiry, connection=None):
    """Send the contact's message, then the receipt to the sender; the outbox calls this.

    Each is recorded as soon as it is sent, so a retry after a failure of the receipt never
    sends the contact a second copy. A forward's sender had their receipt with the original.
    """
    if enquiry.sent_at is None:
        _contact_message(enquiry, connection).send()
        enquiry.sent_at = timezone.now()
        Enquiry.objects.filter(pk=enquiry.pk).update(sent_at=enquiry.sent_at)
    if enquiry.acknowledged_at is None and not enquiry.is_forward:
        _acknowledgement_message(enquiry, connection).send()
        enquiry.acknowledged_at = timezone.now()
        Enquiry.objects.filter(pk=enquiry.pk).update(acknowledged_at=enquiry.acknowledged_at)


def enquiries_deliver_pending(*, due_only=False, limit=None):
    """Deliver whatever is still pending (only what is due for a retry, with `due_only`).

    Safe to run at any time and as often as you like: each enquiry is claimed before it is
    sent. Returns a Counter of outcomes: sent, pending (will retry), failed, skipped.
    """
    return outbox_drain(models_=[Enquiry], due_only=due_only, limit=limit)


def enquiries_mark_handled(*, enquiries):
    """Record that an editor has dealt with these enquiries; returns how many changed."""
    return enquiries.filter(handled_at__isnull=True).update(handled_at=timezone.now())


def enquiries_resend_failed(*, enquiries):
    """Give failed enquiries a fresh set of attempts; returns how many will be resent.

    The contact's copy is not sent again if it already went; only what is missing is.
    """
    return outbox_retry(enquiries)


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


def _contact_message(enquiry, connection=None):
    return outbox_email(
        template="contacts/enquiry_email",
        context=_context(enquiry),
        message_id=f"enquiry-{enquiry.token}",
        connection=connection,
        subject=f"{'Forwarded enquiry' if enquiry.is_forward else 'Enquiry'}: {enquiry.subject}",
        to=[enquiry.contact.email],
        reply_to=[formataddr((enquiry.name, enquiry.email))],
    )


def _acknowledgement_message(enquiry, connection=None):
    """A receipt to the address the sender gave: the contact's name and the time, nothing
    the sender typed (not their name, subject or message). Anyone may type any address into
    the form, so a copy of their words would let a stranger mail any text to anyone."""
    context = {
        "contact": enquiry.contact,
        "received": timezone.localtime(enquiry.created_at),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }
    return outbox_email(
        template="contacts/enquiry_acknowledgement_email",
        context=context,
        message_id=f"enquiry-{enquiry.token}-copy",
        connection=connection,
        subject=f"Your message to {enquiry.contact.name} has arrived",
        to=[enquiry.email],
        # RFC 3834: an automatic message, so auto-responders do not answer it.
        headers={"Auto-Submitted": "auto-generated"},
    )
