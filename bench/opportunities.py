"""Benchmark: the funding finder with each filter, and the deadline-reminder run, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_opps DJANGO_SECRET_KEY=x \\
        .venv/bin/python bench/opportunities.py --opportunities 10000 --subscribers 10000

Fills the (migrated) database up to --opportunities live opportunities spread over two
years around today, with 20 funders, every funding type, band and kind of applicant and
one or two of 12 topics each (bulk inserts, then ANALYZE), or reuses what is there. Then
times each finder address --runs times through Django's test client on one warm
connection (median and p95 in ms, server side, and the queries per page), and a reminder
run for --subscribers subscribers with --closing opportunities closing within the week:
its time, its queries and the reminders it recorded (exactly one per subscriber and
opportunity in their topics), then sending them, one email per subscriber listing all
their deadlines, to Django's in-memory mail backend. Nothing is asserted.
"""

import argparse
import os
import random
import statistics
import sys
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

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from ktnsite.models import OpportunityReminder  # noqa: E402
from ktnsite.reminders import reminders_record, reminders_send_grouped  # noqa: E402
from mailinglist.models import State, Subscriber  # noqa: E402
from opportunities.finder import item_key  # noqa: E402
from opportunities.models import Applicant, FundingType, Opportunity  # noqa: E402
from outbox.delivery import OutboxState  # noqa: E402
from publishing.models import Status, published_fields  # noqa: E402
from publishing.statistics import analyze  # noqa: E402
from topics.models import Topic  # noqa: E402

FUNDERS = [f"Funder {n}" for n in range(1, 20)] + ["Innovate UK"]
FINDER = [
    ("open and upcoming", ""),
    ("open", "?state=open"),
    ("closing soon", "?state=closing-soon"),
    ("upcoming", "?state=upcoming"),
    ("closed", "?state=closed"),
    ("topic", "?topic=bench-topic-3"),
    ("funder", "?funder=Innovate+UK"),
    ("type", "?type=loan"),
    ("band", "?band=100k-to-1m"),
    ("who", "?who=sme"),
    ("topic+who+type", "?topic=bench-topic-3&who=sme&type=grant"),
    ("all filters", "?state=open&topic=bench-topic-3&funder=Innovate+UK&type=grant&band=100k-to-1m&who=sme"),
]  # fmt: skip


def _percentiles(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def build(count, rng):
    topics = [
        Topic.objects.get_or_create(
            slug=f"bench-topic-{n}", defaults={"name": f"Bench {n}", **published_fields()}
        )[0]
        for n in range(12)
    ]
    have = Opportunity.objects.count()
    now = timezone.now()
    rows = []
    for n in range(have, count):
        opens = now + timedelta(days=rng.randint(-540, 180), minutes=rng.randint(0, 1439))
        kinds = rng.sample(list(Applicant), rng.randint(1, 3))
        rows.append(
            Opportunity(
                title=f"Bench opportunity {n}",
                slug=f"bench-opportunity-{n}",
                standfirst=f"What bench opportunity {n} funds, in a sentence or two.",
                body=f"<p>Body of bench opportunity {n}.</p>",
                funder=rng.choice(FUNDERS),
                funding_type=rng.choice(list(FundingType)),
                award_max=rng.choice([None, 50_000, 250_000, 800_000, 2_000_000]),
                opens_at=opens,
                closes_at=opens + timedelta(days=rng.randint(7, 120)),
                status=Status.PUBLISHED,
                publish_at=opens - timedelta(days=14),
                apply_url="https://apply.example.org/",
                **{f"eligible_{kind.value}": True for kind in kinds},
            )
        )
    made = Opportunity.objects.bulk_create(rows, batch_size=1000)
    through = Opportunity.topics.through
    through.objects.bulk_create(
        [
            through(opportunity_id=item.pk, topic_id=topic.pk)
            for item in made
            for topic in rng.sample(topics, rng.randint(1, 2))
        ],
        batch_size=5000,
    )
    return topics, len(made)


def _load():
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def time_finder(runs):
    client = Client()
    client.get("/opportunities/")  # warm the connection, the templates and the kept filters
    print(f"load average {_load()} (1, 5, 15 min) before the finder pages")
    print(
        f"{'finder page':<20} {'median ms':>10} {'p95 ms':>8} {'CPU median':>11} {'CPU p95':>8}"
        f" {'queries':>8} {'shown':>6}"
    )
    # A deep page costs the same: the page after the 500th call of the default view.
    key = item_key(Opportunity.objects.live().not_closed().order_by("closes_at", "pk")[500])
    for name, query in [*FINDER, ("after the 500th", f"?next={key}")]:
        samples, cpu, queries = [], [], 0
        for _ in range(runs):
            reset_queries()
            # CPU time of this process (the request through Django's whole stack, not the
            # database's): less swayed by the machine's load than the wall clock.
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(f"/opportunities/{query}")
            cpu.append((time.process_time() - start_cpu) * 1000)
            samples.append((time.perf_counter() - start) * 1000)
            queries = len(connection.queries)
            assert response.status_code == 200, (query, response.status_code)
        median, p95 = _percentiles(samples)
        cpu_median, cpu_p95 = _percentiles(cpu)
        shown = response.content.count(b'class="card opportunity-card"')
        print(
            f"{name:<20} {median:>10.1f} {p95:>8.1f} {cpu_median:>11.1f} {cpu_p95:>8.1f}"
            f" {queries:>8} {shown:>6}"
        )
    print(f"load average {_load()} after")


def time_reminders(topics, subscribers, closing, rng):
    now = timezone.now()
    OpportunityReminder.objects.all().delete()
    Subscriber.objects.filter(email__startswith="bench-").delete()
    made = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"bench-{n}@example.org",
                state=State.CONFIRMED,
                consent_text="Bench.",
                confirmed_at=now,
                deadline_reminders=True,
            )
            for n in range(subscribers)
        ],
        batch_size=2000,
    )
    through = Subscriber.topics.through
    through.objects.bulk_create(
        [
            through(subscriber_id=s.pk, topic_id=t.pk)
            for s in made
            for t in rng.sample(topics, rng.randint(1, 3))
        ],
        batch_size=5000,
    )
    # The calls due a reminder: open for weeks, closing within the next six days.
    due = list(Opportunity.objects.order_by("pk")[:closing])
    for item in due:
        item.publish_at = now - timedelta(days=31)
        item.opens_at = now - timedelta(days=30)
        item.closes_at = now + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 23))
    Opportunity.objects.bulk_update(due, ["publish_at", "opens_at", "closes_at"], batch_size=500)
    Opportunity.objects.exclude(pk__in=[item.pk for item in due]).filter(
        closes_at__gt=now, closes_at__lte=now + timedelta(days=7)
    ).update(closes_at=now + timedelta(days=8))
    analyze()
    expected = (
        Subscriber.objects.confirmed()
        .filter(email__startswith="bench-", topics__opportunities__in=due)
        .values("pk", "topics__opportunities")
        .distinct()
        .count()
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reset_queries()
    start = time.perf_counter()
    recorded = reminders_record()
    seconds = time.perf_counter() - start
    queries = len(connection.queries)
    pairs = OpportunityReminder.objects.values("subscriber", "opportunity").distinct().count()
    print(
        f"reminders recorded: {subscribers} subscribers, {closing} calls closing within the "
        f"week: {recorded} in {seconds:.1f} s and {queries} queries; expected {expected}, "
        f"distinct (subscriber, call) pairs {pairs}; a second run records "
        f"{reminders_record()}"
    )
    # Sending: one email per subscriber listing all their deadlines (the whole run).
    from django.core import mail

    mail.outbox = []
    reset_queries()
    start = time.perf_counter()
    outcomes = reminders_send_grouped()
    seconds = time.perf_counter() - start
    sent = outcomes[OutboxState.SENT]
    owed = OpportunityReminder.objects.exclude(state=OutboxState.SENT).count()
    print(
        f"reminder emails sent: {sent} in {seconds:.1f} s ({sent / seconds:.0f}/s, in-memory "
        f"mail), {len(connection.queries)} queries; {len(mail.outbox)} emails for "
        f"{OpportunityReminder.objects.values('subscriber').distinct().count()} subscribers "
        f"reminded; reminders not sent: {owed}; a second run sends "
        f"{reminders_send_grouped()[OutboxState.SENT]}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=10_000)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--closing", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--finder-only", action="store_true", help="skip the reminder run")
    args = parser.parse_args()
    settings.DEBUG = True  # count queries
    rng = random.Random(26)
    start = time.perf_counter()
    topics, made = build(args.opportunities, rng)
    with connection.cursor() as cursor:
        # As the tables are after autovacuum: index-only scans need the visibility map, and
        # the planner the topics' statistics (unanalysed, it guessed 75 calls a topic, not
        # 1,250, and looked each up by id).
        cursor.execute("VACUUM ANALYZE opportunities_opportunity")
        cursor.execute(f"VACUUM ANALYZE {Opportunity.topics.through._meta.db_table}")
    print(
        f"{Opportunity.objects.count()} opportunities ({made} made in "
        f"{time.perf_counter() - start:.1f} s) on {connection.vendor}"
    )
    time_finder(args.runs)
    if not args.finder_only:
        time_reminders(topics, args.subscribers, args.closing, rng)


if __name__ == "__main__":
    main()
