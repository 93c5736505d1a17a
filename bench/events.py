"""Benchmark: the events lists, an event page and a topic's calendar feed at a given number of events.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ktn_bench_events DJANGO_SECRET_KEY=x \\
        .venv/bin/python bench/events.py --events 5000

Adds events (bulk, spread over four years around today, a third in one topic, some cancelled
or moved) until there are --events, runs ANALYZE, then times each page --runs times through
Django's test client on a warm connection, printing the median and p95 in ms (server side:
the whole request through the middleware, no network) and the queries per page. The issue's
goal: p95 under 50 ms. Nothing here is asserted (timings belong in no test).

    ... bench/events.py --race 200

registers 200 people at once (40 threads, each its own connection) for an event with 50
places, through the same service as the form, and prints the time, the errors and the
places given (the issue's goal: no error, exactly 50).
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_PAGE_CACHE_SECONDS", "0")
os.environ.setdefault(
    "DJANGO_STATIC_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from events.models import Event  # noqa: E402
from publishing.models import published_fields  # noqa: E402
from topics.models import Topic  # noqa: E402


def _percentiles(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def _build(count):
    live = published_fields()
    topic, _ = Topic.objects.get_or_create(
        slug="bench-topic", defaults={"name": "Bench topic", **live}
    )
    other, _ = Topic.objects.get_or_create(
        slug="bench-other", defaults={"name": "Bench other", **live}
    )
    have = Event.objects.count()
    if have >= count:
        return topic
    print(f"building: {count - have:,} events ...", flush=True)
    rng = random.Random(have)  # noqa: S311 - spread, not secrets
    now = timezone.now().replace(second=0, microsecond=0)
    rows = []
    for n in range(have, count):
        start = now + timedelta(minutes=rng.randrange(-2 * 365 * 24 * 60, 2 * 365 * 24 * 60))
        rows.append(
            Event(
                title=f"Bench event {n}",
                slug=f"bench-event-{n}",
                standfirst=f"What bench event {n} is about, in a sentence or two.",
                body="<p>" + "An agenda. " * 80 + "</p>",
                start_at=start,
                end_at=start + timedelta(hours=rng.choice([1, 2, 3, 8])),
                event_status=rng.choice(["scheduled"] * 8 + ["cancelled", "rescheduled"]),
                previous_start_at=start - timedelta(days=7),
                format=rng.choice(["online", "in_person", "hybrid"]),
                venue_name="A venue",
                status="published",
                publish_at=now - timedelta(days=800),
            )
        )
    created = Event.objects.bulk_create(rows, batch_size=500)
    links = Event.topics.through
    links.objects.bulk_create(
        [
            links(event_id=event.pk, topic_id=(topic if i % 3 == 0 else other).pk)
            for i, event in enumerate(created)
        ],
        batch_size=1000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return topic


def _measure(client, path, runs):
    queries = []

    def capture(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(path)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
    return response.status_code, len(queries), len(response.content), *_percentiles(samples)


def _race(people, seats, threads):
    """`people` registrations at once (on `threads` connections) for `seats` places."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from events.models import Registration
    from events.services import registration_create

    start = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        title="Race", slug=f"race-{time.time_ns()}", standfirst="A race.", start_at=start,
        end_at=start + timedelta(hours=1), format="online", status="published",
        publish_at=timezone.now() - timedelta(days=1), registration_here=True, capacity=seats,
    )  # fmt: skip
    barrier = threading.Barrier(threads)
    errors = []

    def one(index):
        try:
            if index < threads:
                barrier.wait(timeout=60)
            return registration_create(
                event=event, name=f"P{index}", email=f"p{index}@example.com", consent_text="y"
            ).registration.state
        except Exception as error:  # counted, not raised: the figure is how many failed
            errors.append(repr(error))
            return "error"
        finally:
            connections.close_all()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        states = list(pool.map(one, range(people)))
    took = time.perf_counter() - started
    places = Registration.objects.filter(event=event, state="place").count()
    print(
        f"{people} registrations at once ({threads} threads) for {seats} places: "
        f"{took:.2f} s, errors {len(errors)}, places given {places}, waiting "
        f"{states.count('waiting')}"
    )
    for error in errors[:3]:
        print("  ", error)
    event.delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument(
        "--race", type=int, default=0, help="only: this many registrations at once for 50 places"
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.race:
        _race(args.race, seats=50, threads=min(args.race, 40))
        return
    topic = _build(args.events)
    upcoming = Event.objects.live().upcoming().order_by("start_at").first()
    pages = [
        ("upcoming, first page", "/events/"),
        ("upcoming, one topic", f"/events/?topic={topic.slug}"),
        ("upcoming, a month", f"/events/?month={timezone.localtime(upcoming.start_at):%Y-%m}"),
        ("past, first page", "/events/past/"),
        ("past, last page", "/events/past/?page=last"),
        ("an event page", upcoming.get_absolute_url()),
        ("its .ics", upcoming.get_ics_url()),
        ("a topic's calendar feed", f"/events/topics/{topic.slug}/calendar.ics"),
        ("all events' feed", "/events/calendar.ics"),
        # The same machine's figure for a list that existed before, for comparison.
        ("reference: /news/", "/news/"),
    ]
    client = Client()
    for _ in range(5):  # a warm connection and warm caches (the built feeds), as a server has
        for _label, path in pages:
            client.get(path)
    print(f"{connection.vendor}, {Event.objects.count():,} events, {args.runs} runs each")
    print(f"{'page':28} {'status':>6} {'queries':>7} {'bytes':>8} {'median ms':>10} {'p95 ms':>8}")
    for label, path in pages:
        status, queries, size, median, p95 = _measure(client, path, args.runs)
        print(f"{label:28} {status:>6} {queries:>7} {size:>8,} {median:>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
