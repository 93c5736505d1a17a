"""One outbox for all mail: enquiries, sign-up emails and alerts share claims, retries,
backoff, the dead letter editors see, and the command and task that drain them."""

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from contacts.models import Enquiry
from ktnsite.models import OpportunityReminder, OpportunityWatch
from mailinglist.models import Delivery, EmailKind, SignupEmail, State
from outbox.delivery import OutboxState, outbox_deliver, outbox_drain, outbox_models
from outbox.tasks import drain_outbox
from review.models import ReviewMail
from tests.factories import (
    make_enquiry,
    make_opportunity,
    make_post,
    make_staff,
    make_subscriber,
    make_topic,
)

pytestmark = pytest.mark.django_db


def _enquiry():
    return make_enquiry()


def _signup_email():
    return SignupEmail.objects.create(
        subscriber=make_subscriber(state=State.PENDING), kind=EmailKind.CONFIRM
    )


def _delivery():
    post = make_post(topics=[make_topic()])
    return Delivery.objects.create(
        subscriber=make_subscriber(),
        content_type=ContentType.objects.get_for_model(post),
        object_id=post.pk,
    )


def _review_mail():
    from review.models import Review

    post = make_post()
    review = Review.objects.create(
        content_type=ContentType.objects.get_for_model(post), object_id=post.pk,
        item_title=post.title, submitted_by=make_staff(f"writer{post.pk}"),
    )  # fmt: skip
    return ReviewMail.objects.create(
        review=review, to="rita@example.org", subject="Please review", body="Please."
    )


def _registration_email():
    from events.models import Registration, RegistrationEmail
    from tests.factories import make_event

    registration = Registration.objects.create(
        event=make_event(registration_here=True),
        name="Ada",
        email=f"ada{Registration.objects.count()}@example.com",
        consent_text="yes",
        state="place",
    )
    return RegistrationEmail.objects.create(registration=registration, kind="place")


def _reminder():
    opportunity = make_opportunity(topics=[make_topic()], closes_in=timedelta(days=5))
    return OpportunityReminder.objects.create(
        subscriber=make_subscriber(), opportunity=opportunity, closes_at=opportunity.closes_at
    )


def _watch():
    from ktnsite.models import OpportunityWatch

    return OpportunityWatch.objects.create(
        subscriber=make_subscriber(state="pending"), opportunity=make_opportunity()
    )


MAKERS = {
    "enquiry": _enquiry, "signup email": _signup_email, "delivery": _delivery,
    "review email": _review_mail, "registration email": _registration_email,
    "opportunity reminder": _reminder, "reminder confirmation": _watch,
}  # fmt: skip
# Deadline reminders are sent by their own run, one email per subscriber listing all their
# deadlines (tests/opportunities/test_reminders.py); send_outbox leaves them to it.
DRAINED = [kind for kind in MAKERS if kind != "opportunity reminder"]


def test_every_mail_the_site_sends_is_an_outbox_row():
    from events.models import RegistrationEmail

    assert set(outbox_models()) == {
        Enquiry, SignupEmail, Delivery, ReviewMail, RegistrationEmail, OpportunityReminder,
        OpportunityWatch,
    }  # fmt: skip


@pytest.mark.parametrize("kind", MAKERS)
def test_a_failed_attempt_is_retried_with_backoff_then_dead_lettered(kind, smtp_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_SECONDS = 60
    row = MAKERS[kind]()
    model = type(row)
    smtp_server.stop()
    states = []
    for _ in range(3):
        states.append(outbox_deliver(model, row.pk))
        row.refresh_from_db()
        if row.state == OutboxState.PENDING:
            delay = row.next_attempt_at - timezone.now()
            assert timedelta(seconds=60 * 2 ** (row.attempts - 1) - 5) < delay
            assert "ConnectionRefusedError" in row.last_error
    assert states == [OutboxState.PENDING, OutboxState.PENDING, OutboxState.FAILED]
    assert (row.attempts, row.next_attempt_at, row.claimed_at) == (3, None, None)
    assert list(model.objects.dead()) == [row]


@pytest.mark.parametrize("kind", DRAINED)
def test_send_outbox_sends_every_kind_and_only_what_is_due(kind, smtp_server):
    due = MAKERS[kind]()
    later = MAKERS[kind]()
    type(later).objects.filter(pk=later.pk).update(
        attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    out = io.StringIO()
    call_command("send_outbox", stdout=out)
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.state, due.attempts) == (OutboxState.SENT, 1)
    assert later.state == OutboxState.PENDING
    assert "Sent: 1," in out.getvalue()
    call_command("send_outbox", "--all", stdout=io.StringIO())
    later.refresh_from_db()
    assert later.state == OutboxState.SENT


def test_a_stale_claim_is_taken_over_and_a_fresh_one_is_not(smtp_server, settings):
    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = 600
    stale, fresh = make_enquiry(), make_enquiry()
    Enquiry.objects.filter(pk=stale.pk).update(
        state=OutboxState.SENDING, claimed_at=timezone.now() - timedelta(minutes=11)
    )
    Enquiry.objects.filter(pk=fresh.pk).update(
        state=OutboxState.SENDING, claimed_at=timezone.now() - timedelta(minutes=1)
    )
    outbox_drain()
    assert Enquiry.objects.get(pk=stale.pk).state == OutboxState.SENT
    assert Enquiry.objects.get(pk=fresh.pk).state == OutboxState.SENDING
    assert [env[1] for env in smtp_server.envelopes] == [[stale.contact.email], [stale.email]]


def test_with_the_mail_server_down_a_drain_counts_no_attempt(smtp_server):
    rows = [maker() for maker in MAKERS.values()]
    smtp_server.stop()
    err = io.StringIO()
    call_command("send_outbox", stdout=io.StringIO(), stderr=err)
    assert "could not be reached" in err.getvalue()
    for row in rows:
        row.refresh_from_db()
        assert (row.state, row.attempts) == (OutboxState.PENDING, 0)


def test_a_message_no_longer_wanted_is_skipped_not_retried(smtp_server):
    delivery = _delivery()
    delivery.subscriber.state = State.UNSUBSCRIBED
    delivery.subscriber.save()
    assert outbox_deliver(Delivery, delivery.pk) == OutboxState.SKIPPED
    delivery.refresh_from_db()
    assert "unsubscribed" in delivery.last_error
    assert smtp_server.messages == []


def test_the_drain_task_sends_what_is_owed(smtp_server):
    rows = [MAKERS[kind]() for kind in DRAINED]
    result = drain_outbox.enqueue()  # the tests' immediate backend runs it now
    assert result.return_value[OutboxState.SENT] == len(DRAINED)
    assert all(type(r).objects.get(pk=r.pk).state == OutboxState.SENT for r in rows)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/mailinglist/signupemail/add/",
        "/admin/mailinglist/delivery/add/",
        "/admin/contacts/enquiry/add/",
        "/admin/events/registrationemail/add/",
        "/admin/ktnsite/opportunityreminder/add/",
        "/admin/ktnsite/opportunitywatch/add/",
        "/admin/review/reviewmail/add/",
    ],
)
def test_nobody_writes_an_outbox_message_by_hand(url, admin_client):
    """Every message is owed by something a reader or a job did; even a superuser gets no
    "Add" page for one (registration emails used to offer it)."""
    assert admin_client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("signup email", "/admin/mailinglist/signupemail/"),
        ("delivery", "/admin/mailinglist/delivery/"),
        ("enquiry", "/admin/contacts/enquiry/"),
        ("registration email", "/admin/events/registrationemail/"),
        ("opportunity reminder", "/admin/ktnsite/opportunityreminder/"),
        ("reminder confirmation", "/admin/ktnsite/opportunitywatch/"),
    ],
)
def test_editors_see_the_dead_letters_and_retry_them(
    kind, url, client, smtp_server, django_capture_on_commit_callbacks
):
    """An editor (the Editors group, not a superuser) finds every kind of dead letter in the
    admin and sends it again."""
    client.force_login(make_staff("ed", groups=["Editors"]))
    row = MAKERS[kind]()
    type(row).objects.filter(pk=row.pk).update(
        state=OutboxState.FAILED, attempts=10, last_error="SMTPServerDisconnected: gone"
    )
    listed = client.get(url, {"state__exact": "failed"})
    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list) == [type(row).objects.get(pk=row.pk)]
    assert "Failed (gave up)" in listed.content.decode()
    action = "resend_failed" if kind == "enquiry" else "retry_failed"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": action, "_selected_action": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxState.SENT, 1)
