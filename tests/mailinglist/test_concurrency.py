"""Races that only a real database shows: concurrent sign-ups and overlapping send runs."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from mailinglist.models import Alert, Delivery, DeliveryStatus, Subscriber
from news.models import Post
from tests.factories import make_post, make_subscriber, make_topic

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency needs PostgreSQL: SQLite serialises every write, so nothing races",
    ),
    pytest.mark.django_db(transaction=True),
]

# Enough threads to race, few enough to leave PostgreSQL connections for other test runs.
THREADS = 20


def in_threads(count, work):
    """Run work(i) for i in range(count) on THREADS threads released together."""
    barrier = threading.Barrier(min(count, THREADS))

    def run(index):
        try:
            if index < THREADS:
                barrier.wait(timeout=30)
            return work(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, range(count)))


def test_fifty_concurrent_sign_ups_of_one_address_make_one_row(settings):
    settings.MAILINGLIST_SIGNUP_RATE_IP = settings.MAILINGLIST_SIGNUP_RATE_ADDRESS = "1000/h"
    topic = make_topic()

    def sign_up(index):
        email = "Race@Example.org" if index % 2 else "race@example.ORG"
        data = {"email": email, "consent": "on", "topics": [topic.pk]}
        return Client().post("/mailing-list/", data).status_code

    codes = in_threads(50, sign_up)
    assert Counter(codes) == {302: 50}
    assert Subscriber.objects.count() == 1
    assert list(Subscriber.objects.get().topics.all()) == [topic]


def test_two_overlapping_send_alerts_runs_send_each_subscriber_the_post_once(smtp_server):
    topic = make_topic()
    readers = [make_subscriber(topics=[topic]) for _ in range(40)]
    # Scheduled, so nothing is sent on save; then its time comes for both runs at once.
    post = make_post(topics=[topic], publish_at=timezone.now() + timedelta(hours=1))
    past = timezone.now() - timedelta(seconds=1)
    Post.objects.filter(pk=post.pk).update(publish_at=past)
    Alert.objects.update(due_at=past)

    in_threads(2, lambda index: call_command("send_alerts", stdout=open("/dev/null", "w")))  # noqa: SIM115

    recipients = Counter(rcpt for _, rcpts in smtp_server.envelopes for rcpt in rcpts)
    assert recipients == Counter({reader.email: 1 for reader in readers})
    assert Delivery.objects.filter(state=DeliveryStatus.SENT).count() == 40


def test_two_overlapping_digest_runs_send_each_weekly_subscriber_one_digest(smtp_server):
    topic = make_topic()
    readers = [make_subscriber(topics=[topic], frequency="weekly") for _ in range(30)]
    post = make_post(topics=[topic], publish_at=timezone.now() + timedelta(hours=1))
    past = timezone.now() - timedelta(seconds=1)
    Post.objects.filter(pk=post.pk).update(publish_at=past)
    Alert.objects.update(due_at=past)

    in_threads(2, lambda index: call_command("send_digest", stdout=open("/dev/null", "w")))  # noqa: SIM115

    recipients = Counter(rcpt for _, rcpts in smtp_server.envelopes for rcpt in rcpts)
    assert recipients == Counter({reader.email: 1 for reader in readers})
