"""Races on PostgreSQL: two workers, two command runs or two posts meet the same enquiry."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from contacts import services
from contacts.models import Enquiry, EnquiryState
from tests.factories import enquiry_form_data, make_contact, make_enquiry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrency needs real row locking: runs when DATABASE_URL is PostgreSQL.",
    ),
]


def race(target, count=2):
    """Run `target` in `count` threads released at the same moment; return their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = target()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_workers_meeting_one_enquiry_send_it_once(smtp_server):
    enquiry = make_enquiry()
    results = race(lambda: services.enquiry_deliver(enquiry_id=enquiry.pk), count=4)
    assert sorted(results, key=str) == [None, None, None, EnquiryState.SENT]
    assert [rcpts for _, rcpts in smtp_server.envelopes].count([enquiry.contact.email]) == 1


def test_two_runs_of_the_command_send_each_enquiry_once(smtp_server):
    enquiries = [make_enquiry() for _ in range(6)]

    def command():
        call_command("send_pending_enquiries", stdout=open("/dev/null", "w"))  # noqa: SIM115

    race(command)
    to_contacts = [rcpts[0] for _, rcpts in smtp_server.envelopes if "example.org" in rcpts[0]]
    assert sorted(to_contacts) == sorted(e.contact.email for e in enquiries)
    assert set(Enquiry.objects.values_list("state", flat=True)) == {EnquiryState.SENT}


def test_the_same_form_posted_twice_at_once_is_stored_once(settings):
    from django.test import Client

    contact = make_contact()
    data = enquiry_form_data()
    statuses = race(lambda: Client().post(contact.get_absolute_url(), data).status_code, count=3)
    assert statuses == [302, 302, 302]
    assert Enquiry.objects.count() == 1
