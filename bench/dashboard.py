"""Benchmark the editors' dashboard: the admin home over a year of daily reader counts.

Makes ITEMS live reports (rows only, no files), a year of daily download counts for each
(ITEMS x 365 rows), POSTS live posts with page views on 30 days of the year each (POSTS x 30
rows) and a referrer host on a tenth of those days, a year of searches per day and of
no-result words, subscribers and enquiries, a few scheduled posts; then times GET /admin/
for a signed-in editor and one post's change form (its views chart), printing p50/p95 and
the number of queries. Runs against a throw-away test database (SQLite unless DATABASE_URL
is set; use PostgreSQL for the large figures: the views are made by one SQL statement
there). Asserts nothing.

    DATABASE_URL=postgres://... .venv/bin/python bench/dashboard.py \
        [--items 8000] [--posts 100000] [--runs 30] [--keep]

`--keep` uses DATABASE_URL's own database instead of a throw-away one: it is migrated and
filled on the first run only (a few minutes at 100,000 posts) and left in place, so later
runs (and `--profile`, a cProfile of the kept home; with `--cold`, of the home with nothing
kept) start at once. `--flushed` times each span's first visit after a cache flush, without
and with the day's roll-up of the closed days (`dashboard.rollup`, made by each run).
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
os.environ.setdefault(
    "DJANGO_STATIC_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
warnings.filterwarnings("ignore", "No directory at")  # no collectstatic for a benchmark

DAYS = 365


VIEW_DAYS = 30  # days of the year on which each post was read


def fill_posts(posts):
    """POSTS live posts, each read on VIEW_DAYS days of the last year, some from a referrer;
    a few thousand subscribers over topics and enquiries over leads."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from contacts.models import Contact, Enquiry
    from dashboard.models import DailyCount, ReferrerCount
    from mailinglist.models import State, Subscriber
    from news.models import Post
    from publishing.models import Status
    from topics.models import Topic

    now = timezone.now()
    start = time.perf_counter()
    for first in range(0, posts, 5000):
        Post.objects.bulk_create(
            [Post(title=f"Read post {n}", slug=f"read-post-{n}", standfirst="S.",
                  body="<p>B.</p>", status=Status.PUBLISHED,
                  publish_at=now - timedelta(days=400))
             for n in range(first, min(first + 5000, posts))],
            batch_size=1000,
        )  # fmt: skip
    print(f"{posts:,} posts made in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    today = timezone.localdate()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Day offsets d * 12 (d < 30) are distinct within a year; each post its own shift.
            cursor.execute(
                "INSERT INTO dashboard_dailycount (day, kind, key, count) "
                "SELECT %s::date - ((p.id * 7 + d * 12) %% 365)::int, 'view', 'post-' || p.id, "
                "1 + (p.id + d) %% 40 FROM news_post p CROSS JOIN generate_series(0, %s) AS d "
                "WHERE p.slug LIKE 'read-post-%%'",
                [today, VIEW_DAYS - 1],
            )
            cursor.execute(
                "INSERT INTO dashboard_referrercount (day, key, host, count) "
                "SELECT %s::date - ((p.id * 7 + d * 12) %% 365)::int, 'post-' || p.id, "
                "(ARRAY['google.com', 'linkedin.com', 'bing.com', ''])[1 + (p.id + d) %% 4], "
                "1 + d FROM news_post p CROSS JOIN generate_series(0, 2) AS d "
                "WHERE p.slug LIKE 'read-post-%%'",
                [today],
            )
            cursor.execute("ANALYZE dashboard_dailycount")
            cursor.execute("ANALYZE dashboard_referrercount")
    else:
        pks = list(Post.objects.filter(slug__startswith="read-post-").values_list("pk", flat=True))
        for d in range(VIEW_DAYS):
            DailyCount.objects.bulk_create(
                [DailyCount(day=today - timedelta(days=(pk * 7 + d * 12) % 365), kind="view",
                            key=f"post-{pk}", count=1 + (pk + d) % 40) for pk in pks],
                batch_size=2000,
            )  # fmt: skip
        ReferrerCount.objects.bulk_create(
            [ReferrerCount(day=today - timedelta(days=(pk * 7) % 365), key=f"post-{pk}",
                           host="google.com", count=3) for pk in pks],
            batch_size=2000,
        )  # fmt: skip
    print(f"views and referrers made in {time.perf_counter() - start:.1f} s")
    topics = Topic.objects.bulk_create(
        [Topic(name=f"Bench topic {n}", slug=f"bench-topic-{n}") for n in range(12)]
    )
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"bench{n}@example.org", state=State.CONFIRMED,
                    consent_text="Yes.", confirmed_at=now - timedelta(days=n % 200))
         for n in range(5000)]
    )  # fmt: skip
    Subscriber.topics.through.objects.bulk_create(
        [Subscriber.topics.through(subscriber_id=s.pk, topic_id=topics[(i + k) % 12].pk)
         for i, s in enumerate(subscribers) for k in range(1 + i % 3)]
    )  # fmt: skip
    leads = Contact.objects.bulk_create(
        [Contact(name=f"Lead {n}", slug=f"bench-lead-{n}", email=f"lead{n}@example.org")
         for n in range(40)]
    )  # fmt: skip
    import uuid

    enquiries = Enquiry.objects.bulk_create(
        [Enquiry(contact=leads[n % 40], token=uuid.uuid4(), name="A reader",
                 email="reader@example.org", subject="A question", message="Hello.",
                 consent_text="Yes.", handled_at=now)
         for n in range(3000)]
    )  # fmt: skip
    for n, enquiry in enumerate(enquiries[:600]):
        enquiry.created_at = now - timedelta(days=n % 180)
    Enquiry.objects.bulk_update(enquiries[:600], ["created_at"])


def fill(items):
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from dashboard.models import DailyCount
    from news.models import Post
    from publishing.models import Status
    from reports.models import Report

    now = timezone.now()
    Report.objects.bulk_create(
        [Report(title=f"Report {n}", slug=f"report-{n}", summary="A summary.",
                status=Status.PUBLISHED, publish_at=now - timedelta(days=400))
         for n in range(items)],
        batch_size=1000,
    )  # fmt: skip
    Post.objects.bulk_create(
        Post(title=f"Post {n}", slug=f"post-{n}", standfirst="S.", body="<p>B.</p>",
             status=Status.PUBLISHED, publish_at=now + timedelta(hours=5 * n))
        for n in range(60)
    )  # fmt: skip
    today = timezone.localdate()
    start = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO dashboard_dailycount (day, kind, key, count) "
                "SELECT %s::date - d, 'download', 'report-' || r.id, 1 + (r.id + d) %% 7 "
                "FROM reports_report r CROSS JOIN generate_series(0, %s) AS d",
                [today, DAYS - 1],
            )
            cursor.execute("ANALYZE dashboard_dailycount")
    else:
        pks = list(Report.objects.values_list("pk", flat=True))
        for d in range(DAYS):
            DailyCount.objects.bulk_create(
                [DailyCount(day=today - timedelta(days=d), kind="download",
                            key=f"report-{pk}", count=1 + (pk + d) % 7)
                 for pk in pks],
                batch_size=2000,
            )  # fmt: skip
    DailyCount.objects.bulk_create(
        [DailyCount(day=today - timedelta(days=d), kind="search", count=50 + d % 9)
         for d in range(DAYS)]
        + [DailyCount(day=today - timedelta(days=d % DAYS), kind="search-none",
                      key=f"missing words {d % 2000}", count=1 + d % 5)
           for d in range(20_000)],
        ignore_conflicts=True,
        batch_size=2000,
    )  # fmt: skip
    print(f"{DailyCount.objects.count():,} daily rows made in {time.perf_counter() - start:.1f} s")


def main(items, posts, runs, keep=False, profile=False, cold=False, flushed=False):
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    if keep:
        call_command("migrate", verbosity=0)
        old_name = None
    else:
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.apps import apps

        from ktnsite.roles import editors_group_sync
        from news.models import Post
        from reports.models import Report
        from tests.factories import make_staff

        editors_group_sync(apps)
        if not (keep and Report.objects.filter(slug="report-0").exists()):
            fill(items)
            if posts:
                fill_posts(posts)
        from dashboard.rollup import roll_up

        # The daily job's roll-up of the closed days (once a day; dashboard.rollup).
        start = time.perf_counter()
        made = roll_up()
        if made:
            print(f"span totals: {made:,} rows made in {time.perf_counter() - start:.1f} s")
        client = Client()
        eve = User.objects.filter(username="eve").first() or make_staff("eve", groups=["Editors"])
        client.force_login(eve)
        client.get("/admin/")  # warm: templates, permissions
        if flushed:
            first_visits_flushed(client)
            return
        if profile:
            if cold:
                # The first visit after the panels' HTML expires: their queries and rendering.
                settings.DASHBOARD_PANEL_CACHE_SECONDS = 0
            profile_home(client, runs)
            return
        print(f"uptime: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} (load average 1, 5 min)")

        def time_home(runs, before=None):
            """Times `runs` visits of the home, each after `before(client)` if given."""
            timings, cpu = [], []
            for _ in range(runs):
                if before is not None:
                    before(client)
                # The debug log keeps 9,000 queries: a full one would count none.
                connection.queries_log.clear()
                start, start_cpu = time.perf_counter(), time.process_time()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get("/admin/")
                timings.append(1000 * (time.perf_counter() - start))
                # This process's CPU: the Python side, less sensitive to a loaded machine.
                cpu.append(1000 * (time.process_time() - start_cpu))
                assert response.status_code == 200
            timings.sort()
            return timings, cpu, queries, response

        # The panels' HTML not kept (DASHBOARD_PANEL_CACHE_SECONDS = 0): what the first visit
        # in five minutes costs for a permission set. Their data is not cached either: the
        # closed days come from the roll-up, so a flushed cache reads the same rows.
        settings.DASHBOARD_PANEL_CACHE_SECONDS = 0
        timings, cpu, queries, response = time_home(runs)
        p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
        print(f"GET /admin/ with nothing kept: p50 {statistics.median(timings):.0f} ms, "
              f"p95 {p95:.0f} ms, {len(queries)} queries, "
              f"Python CPU p50 {statistics.median(cpu):.0f} ms")  # fmt: skip
        del settings.DASHBOARD_PANEL_CACHE_SECONDS
        # The panels kept but the admin's app list built on each visit, as before it was kept
        # per permission set (ktnsite.adminsite).
        settings.ADMIN_APP_LIST_KEPT = False
        timings, cpu, queries, response = time_home(runs)
        p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
        print(f"GET /admin/ with the panels kept, the app list not: p50 "
              f"{statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, {len(queries)} queries, "
              f"Python CPU p50 {statistics.median(cpu):.0f} ms, p95 {sorted(cpu)[int(len(cpu) * 0.95) - 1]:.0f} ms")  # fmt: skip
        del settings.ADMIN_APP_LIST_KEPT
        # The visit after the panels' five minutes: served stale, a refresh of each queued
        # (production's database queue: one row inserted per panel), none computed.
        from dashboard import panels as dashboard_panels

        # (The code before the stale copies, for a comparison run, has no stale visit.)
        if hasattr(dashboard_panels, "refresh"):
            timings, cpu, queries, response = time_home(runs, before=age_kept_panels)
            assert b"Figures as of" in response.content
            queued = forget_queued_refreshes()
            p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
            print(f"GET /admin/ with the panels stale (shown, refresh queued): p50 "
                  f"{statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, {len(queries)} "
                  f"queries, Python CPU p50 {statistics.median(cpu):.0f} ms; {queued} "
                  f"refreshes queued")  # fmt: skip
        timings, cpu, queries, response = time_home(runs)
        timings.sort()
        from django.test import RequestFactory

        from dashboard.panels import panels

        request = RequestFactory().get("/admin/")
        request.user = response.wsgi_request.user
        for panel in panels():
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as panel_queries:
                panel.context(request)
            print(f"  {panel.key}: {1000 * (time.perf_counter() - start):.0f} ms, "
                  f"{len(panel_queries)} queries")  # fmt: skip
            if os.environ.get("BENCH_SQL"):
                for query in panel_queries.captured_queries:
                    print(f"    {query['time']} s  {query['sql'][:150]}")
            if os.environ.get("BENCH_EXPLAIN") and panel.key == "readers":
                # Which index each of the readers' queries uses (PostgreSQL's plan, top lines).
                with connection.cursor() as cursor:
                    for query in panel_queries.captured_queries:
                        cursor.execute(f"EXPLAIN {query['sql']}")
                        plan = [row[0] for row in cursor.fetchall()]
                        print(f"    {query['sql'][:110]}")
                        for line in plan[:6]:
                            print(f"      {line}")
        p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
        from dashboard.models import DailyCount, ReferrerCount

        reports = Report.objects.filter(slug__startswith="report-").count()
        read_posts = Post.objects.filter(slug__startswith="read-post-").count()
        print(f"{connection.vendor}, {reports:,} reports x {DAYS} days, {read_posts:,} posts x "
              f"{VIEW_DAYS} days read ({DailyCount.objects.count():,} daily rows, "
              f"{ReferrerCount.objects.count():,} referrer rows): GET /admin/ "
              f"(day-granular panels kept) p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, "
              f"{len(queries)} queries ({sum(float(q['time']) for q in queries.captured_queries) * 1000:.0f} ms "
              f"in them), Python CPU p50 {statistics.median(cpu):.0f} ms, "
              f"p95 {sorted(cpu)[int(len(cpu) * 0.95) - 1]:.0f} ms")  # fmt: skip
        print(f"uptime: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} (load average 1, 5 min)")
        for days in (90, 365):
            # The first visit of the day to a longer span sums its closed days once.
            start = time.perf_counter()
            client.get(f"/admin/?days={days}")
            first = 1000 * (time.perf_counter() - start)
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as then:
                client.get(f"/admin/?days={days}")
            print(f"GET /admin/?days={days}: first {first:.0f} ms, "
                  f"then {1000 * (time.perf_counter() - start):.0f} ms, "
                  f"{len(then)} queries")  # fmt: skip
        if posts:
            post = Post.objects.filter(slug__startswith="read-post-").order_by("pk").last()
            url = f"/admin/news/post/{post.pk}/change/"
            client.get(url)
            timings = []
            for _ in range(runs):
                connection.queries_log.clear()
                start = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                timings.append(1000 * (time.perf_counter() - start))
                assert response.status_code == 200 and b'id="item-readers"' in response.content
            timings.sort()
            p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
            print(f"GET a post's change form with its views chart: "
                  f"p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, "
                  f"{len(queries)} queries")  # fmt: skip
    finally:
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def age_kept_panels(client):
    """Make eve's kept panels ten minutes old, their refresh locks gone: the next visit finds
    them stale, as after the panels' five minutes."""
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import RequestFactory

    from dashboard import panels

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username="eve")
    permissions = panels.permission_set(request.user)
    for panel in panels.panels():
        if panel.cached:
            key = panels._cache_key(panel, permissions, panels._vary(panel, request))
            entry = cache.get(key)
            if entry:
                entry["made"] = time.time() - 600
                cache.set(key, entry)
            cache.delete(f"{key}:refreshing")


def forget_queued_refreshes():
    """Remove the refreshes the stale visits queued (no worker runs here); how many."""
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(task_path="dashboard.tasks.refresh_dashboard_panels")
    return queued.delete()[0]


def first_visits_flushed(client):
    """Each span's first visit after the shared cache is flushed, nothing kept: without the
    day's roll-up (the code before it: every closed day summed) and with it."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboard.models import SpanRollup
    from dashboard.rollup import roll_up

    settings.DASHBOARD_PANEL_CACHE_SECONDS = 0
    for label in ("not rolled up (as before)", "rolled up"):
        if label == "rolled up":
            roll_up()
        else:
            SpanRollup.objects.all().delete()  # the roll-up is made anew after
        for days in (30, 90, 365):
            cache.clear()
            client.force_login(User.objects.get(username="eve"))
            start, start_cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                client.get(f"/admin/?days={days}")
            print(f"{label}, {days} days, cache flushed: "
                  f"{1000 * (time.perf_counter() - start):.0f} ms, "
                  f"Python CPU {1000 * (time.process_time() - start_cpu):.0f} ms, "
                  f"{len(queries)} queries, load {os.getloadavg()[0]:.1f}")  # fmt: skip


def profile_home(client, runs):
    """cProfile of `runs` visits to the kept admin home: where its Python time goes."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get("/admin/")
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative"))
    stats.print_stats(os.environ.get("BENCH_PROFILE_FILTER", ""), 60)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=8000)
    parser.add_argument("--posts", type=int, default=0)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="fill and keep DATABASE_URL's db")
    parser.add_argument("--profile", action="store_true", help="cProfile the kept admin home")
    parser.add_argument("--cold", action="store_true", help="with --profile: nothing kept")
    parser.add_argument(
        "--flushed", action="store_true", help="each span's first visit after a cache flush"
    )
    args = parser.parse_args()
    main(args.items, args.posts, args.runs, args.keep, args.profile, args.cold, args.flushed)
