"""Fifty people registering at once for the last ten places: exactly ten places, forty on the
waiting list, no error (a real database, real threads)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from events.models import Registration
from events.services import registration_create
from tests.factories import make_event

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL: SQLite serialises every write, so nothing races",
    ),
    pytest.mark.django_db(transaction=True),
]

PEOPLE = 50
# Released together; few enough to leave PostgreSQL connections for other test runs.
THREADS = 20


def test_fifty_at_once_for_ten_places_get_exactly_ten():
    event = make_event(registration_here=True, capacity=10)
    barrier = threading.Barrier(THREADS)

    def one(index):
        try:
            if index < THREADS:
                barrier.wait(timeout=30)
            return registration_create(
                event=event,
                name=f"Person {index}",
                email=f"person{index}@example.com",
                consent_text="yes",
            ).registration.state
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        states = list(pool.map(one, range(PEOPLE)))
    assert states.count("place") == 10 and states.count("waiting") == 40
    assert Registration.objects.filter(state="place").count() == 10
    assert Registration.objects.filter(state="waiting").count() == 40


def test_the_same_address_at_once_is_one_registration():
    event = make_event(registration_here=True)
    barrier = threading.Barrier(10)

    def one(index):
        try:
            barrier.wait(timeout=30)
            return registration_create(
                event=event, name="Ada", email="ada@example.com", consent_text="yes"
            ).created
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        created = list(pool.map(one, range(10)))
    assert created.count(True) == 1
    assert Registration.objects.count() == 1
