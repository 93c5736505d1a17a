"""Benchmark: how long fanning out and sending one post's alerts takes for N subscribers.

    DJANGO_SECRET_KEY=x .venv/bin/python bench/mailinglist_alerts.py --subscribers 5000

Runs in a throw-away test database (test_<name> of DATABASE_URL, or SQLite in memory), with
email going to Django's dummy backend (each message is rendered, then dropped), so it
measures our code and the database, not an SMTP server. Prints figures; asserts nothing.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--topics", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from mailinglist import services
    from mailinglist.models import Delivery, Frequency, Subscriber
    from news.models import Post
    from outbox.delivery import OutboxState, outbox_drain
    from publishing.models import Status
    from topics.models import Topic

    topics = [
        Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}") for n in range(args.topics)
    ]
    started = time.perf_counter()
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(
            email=f"reader{n}@example.org",
            state="confirmed",
            consent_text="bench",
            frequency=Frequency.WEEKLY if n % 4 == 0 else Frequency.IMMEDIATE,
        )
        for n in range(args.subscribers)
    )
    through = Subscriber.topics.through
    through.objects.bulk_create(
        through(subscriber_id=s.pk, topic_id=topics[i % args.topics].pk)
        for i, s in enumerate(subscribers)
    )
    print(
        f"{args.subscribers} subscribers over {args.topics} topics set up in "
        f"{time.perf_counter() - started:.2f} s ({connection.vendor})"
    )

    post = Post.objects.create(
        title="Benchmark post", slug="benchmark-post", standfirst="A post.",
        status=Status.PUBLISHED, publish_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    post.topics.set(topics[:3])
    Post.objects.filter(pk=post.pk).update(publish_at=timezone.now())
    services.alert_record(instance=Post.objects.get(pk=post.pk))

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        created = services.alerts_fan_out()
        fan_out = time.perf_counter() - started
    print(f"fan-out: {created} deliveries in {fan_out * 1000:.0f} ms, {len(queries)} queries")

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        outcomes = outbox_drain(models_=[Delivery])
        send = time.perf_counter() - started
    sent = outcomes[OutboxState.SENT]
    print(
        f"send (the outbox): {sent} alerts in {send:.2f} s "
        f"({sent / send:.0f}/s, {len(queries) / max(sent, 1):.2f} queries each)"
    )
    sample = services.subscriber_message(
        subscriber=Subscriber.objects.first(),
        subject=post.title,
        template="alert",
        context=services.item_context(post),
    )
    size = len(sample.message().as_bytes())
    print(f"one alert email: {size} bytes (text and HTML parts, headers)")

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        tally = services.digests_send()
        digest = time.perf_counter() - started
    print(f"digest: {tally['sent']} digests in {digest:.2f} s, {len(queries)} queries")


if __name__ == "__main__":
    main()
