"""With production's database queue, delivery waits for a worker, and retries are deferred."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from contacts.models import Enquiry, EnquiryState
from tests.factories import enquiry_form_data, make_contact

# The worker closes its database connection between tasks, as it should in production; only
# committed data survives that, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )


def test_the_request_only_queues_and_the_worker_delivers(client, database_queue, smtp_server):
    contact = make_contact()
    client.post(contact.get_absolute_url(), enquiry_form_data())
    assert smtp_server.messages == []
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert smtp_server.envelopes[0][1] == [contact.email]
    assert Enquiry.objects.get().state == EnquiryState.SENT


def test_a_failed_attempt_queues_a_retry_for_when_it_is_due(client, database_queue, smtp_server):
    contact = make_contact()
    client.post(contact.get_absolute_url(), enquiry_form_data())
    smtp_server.stop()
    run_worker()
    enquiry = Enquiry.objects.get()
    assert enquiry.state == EnquiryState.PENDING
    retry = (
        DBTaskResult.objects.ready().count(),
        DBTaskResult.objects.filter(run_after=enquiry.next_attempt_at).count(),
    )
    assert retry == (0, 1)  # queued, and not runnable before its backoff is over


def test_a_restarted_worker_takes_over_a_killed_workers_claims_itself(
    database_queue, smtp_server, settings
):
    import time

    from django.utils import timezone

    from outbox import delivery as outbox
    from tests.factories import make_enquiry

    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = 1
    enquiry = make_enquiry()
    # What a worker killed mid-send leaves behind: the row claimed, nothing recorded.
    claimed = outbox._claim(Enquiry, [enquiry.pk], due_only=False)
    assert [row.pk for row in claimed] == [enquiry.pk]
    takeover = DBTaskResult.objects.get(task_path="outbox.tasks.drain_outbox")
    assert takeover.run_after > timezone.now()  # not before the claim could be stale

    run_worker()  # a worker restarted at once leaves the claim alone while it is fresh
    assert Enquiry.objects.get().state == EnquiryState.SENDING
    assert smtp_server.messages == []

    time.sleep((takeover.run_after - timezone.now()).total_seconds() + 0.1)
    run_worker()  # no send_outbox: the worker runs the takeover it finds queued
    enquiry.refresh_from_db()
    assert enquiry.state == EnquiryState.SENT
    assert smtp_server.envelopes[0][1] == [enquiry.contact.email]


def test_a_takeover_with_the_mail_server_down_comes_back_later(
    database_queue, smtp_server, settings
):
    from outbox.tasks import drain_outbox
    from tests.factories import make_enquiry

    make_enquiry()
    smtp_server.stop()
    drain_outbox.call()
    again = DBTaskResult.objects.get(task_path="outbox.tasks.drain_outbox")
    assert again.run_after is not None
