"""Delivery through a real SMTP server on loopback: once to the contact, a copy to the sender."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from contacts import services
from contacts.models import Enquiry, EnquiryState
from outbox.delivery import retry_delay
from tests.factories import enquiry_form_data, make_contact, make_enquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def karen():
    return make_contact(
        name="Karen Wilkinson", slug="karen-wilkinson", email="karen.wilkinson@example.org"
    )


def submit(client, contact, capture, **fields):
    with capture(execute=True):
        response = client.post(contact.get_absolute_url(), enquiry_form_data(**fields))
    assert response.status_code == 302
    return Enquiry.objects.get()


def run_command(*args):
    call_command("send_pending_enquiries", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_message_reaches_the_contact_with_reply_to_the_sender(
    client, karen, smtp_server, django_capture_on_commit_callbacks
):
    submit(client, karen, django_capture_on_commit_callbacks)
    message = smtp_server.messages[0]
    assert smtp_server.envelopes[0][1] == ["karen.wilkinson@example.org"]
    assert message["To"] == "karen.wilkinson@example.org"
    assert message["Reply-To"] == "Ada Lovelace <ada@example.com>"
    assert message["Subject"] == "Enquiry: Continuous manufacturing"
    assert message["From"] == "no-reply@localhost"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Could we talk about the pilot line?" in text
    assert "Analytical Engines Ltd" in text
    assert "<p>Could we talk about the pilot line?<br>Thanks, Ada</p>" in html


def test_the_sender_gets_a_copy_that_never_reveals_the_contacts_address(
    client, karen, smtp_server, django_capture_on_commit_callbacks
):
    enquiry = submit(client, karen, django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 2
    copy = smtp_server.messages[1]
    assert smtp_server.envelopes[1][1] == ["ada@example.com"]
    assert copy["Subject"] == "Your message to Karen Wilkinson has arrived"
    assert copy["Auto-Submitted"] == "auto-generated"
    assert "received a message for Karen Wilkinson" in copy.get_body(("plain",)).get_content()
    assert "karen.wilkinson@example.org" not in copy.as_string()
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.SENT
    assert enquiry.attempts == 1
    assert enquiry.sent_at and enquiry.acknowledged_at


def test_what_the_sender_typed_is_escaped_in_the_html_mail(
    client, karen, smtp_server, django_capture_on_commit_callbacks
):
    submit(client, karen, django_capture_on_commit_callbacks, message="<script>x()</script>")
    html = smtp_server.messages[0].get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


def test_with_the_mail_server_down_the_enquiry_waits_and_is_later_sent_once(
    client, karen, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    enquiry = submit(client, karen, django_capture_on_commit_callbacks)
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.PENDING
    assert enquiry.attempts == 1
    assert "ConnectionRefusedError" in enquiry.last_error
    assert enquiry.next_attempt_at > timezone.now()
    assert enquiry.sent_at is None

    smtp_server.start()
    run_command()
    run_command()  # idempotent: a second run finds nothing to send
    assert [m["To"] for m in smtp_server.messages] == [
        "karen.wilkinson@example.org",
        "ada@example.com",  # the receipt: no display name the sender typed
    ]
    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.attempts, enquiry.last_error) == (EnquiryState.SENT, 2, "")


def test_the_due_option_leaves_enquiries_whose_retry_time_has_not_come(smtp_server):
    waiting = make_enquiry(attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5))
    due = make_enquiry(attempts=1, next_attempt_at=timezone.now() - timedelta(seconds=1))
    run_command("--due")
    assert len(smtp_server.messages) == 2  # the due one and its copy to the sender
    assert smtp_server.envelopes[0][1] == [due.contact.email]
    waiting.refresh_from_db()
    assert waiting.state == EnquiryState.PENDING


def test_retries_back_off_exponentially_up_to_six_hours(settings):
    # The outbox's backoff (outbox.delivery), which enquiries share with all mail.
    settings.OUTBOX_RETRY_SECONDS = 60
    delays = [retry_delay(n).total_seconds() for n in [1, 2, 3, 4, 20]]
    assert delays == [60, 120, 240, 480, 6 * 3600]


def test_after_the_last_attempt_the_enquiry_is_marked_failed(smtp_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    enquiry = make_enquiry()
    smtp_server.stop()
    assert services.enquiry_deliver(enquiry_id=enquiry.pk) == EnquiryState.PENDING
    assert services.enquiry_deliver(enquiry_id=enquiry.pk) == EnquiryState.FAILED
    enquiry.refresh_from_db()
    assert enquiry.next_attempt_at is None
    assert enquiry.attempts == 2


def test_a_failed_copy_to_the_sender_never_sends_the_contact_a_second_message(smtp_server):
    enquiry = make_enquiry(email="ada@example.com")
    refused = []

    async def refuse_the_sender(server, session, envelope, address, rcpt_options):
        if address == "ada@example.com" and not refused:
            refused.append(address)
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handle_RCPT = refuse_the_sender
    assert services.enquiry_deliver(enquiry_id=enquiry.pk) == EnquiryState.PENDING
    assert services.enquiry_deliver(enquiry_id=enquiry.pk) == EnquiryState.SENT
    recipients = [rcpt for _, rcpts in smtp_server.envelopes for rcpt in rcpts]
    assert recipients == [enquiry.contact.email, "ada@example.com"]


def test_a_sent_enquiry_is_never_sent_again(smtp_server):
    enquiry = make_enquiry()
    assert services.enquiry_deliver(enquiry_id=enquiry.pk) == EnquiryState.SENT
    assert services.enquiry_deliver(enquiry_id=enquiry.pk) is None
    assert len(smtp_server.messages) == 2


def test_a_claim_abandoned_by_a_dead_worker_is_taken_over(smtp_server):
    enquiry = make_enquiry(
        state=EnquiryState.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(hours=1)
    )
    fresh = make_enquiry(state=EnquiryState.SENDING, attempts=1, claimed_at=timezone.now())
    run_command()
    enquiry.refresh_from_db()
    fresh.refresh_from_db()
    assert enquiry.state == EnquiryState.SENT
    assert fresh.state == EnquiryState.SENDING  # a live claim is left to its worker


def test_a_name_with_a_comma_and_quotes_stays_one_reply_to_address(
    client, karen, smtp_server, django_capture_on_commit_callbacks
):
    submit(client, karen, django_capture_on_commit_callbacks, name='Lovelace, Ada "Countess"')
    reply_to = smtp_server.messages[0]["Reply-To"]
    assert len(reply_to.addresses) == 1
    assert reply_to.addresses[0].addr_spec == "ada@example.com"
    assert reply_to.addresses[0].display_name == 'Lovelace, Ada "Countess"'
