"""Benchmark the editors' dashboard: the admin home over a year of daily reader counts.

Makes ITEMS live reports (rows only, no files), a year of daily download counts for each
(ITEMS x 365 rows), a year of searches per day and of no-result words, a few scheduled
posts and late enquiries; then times GET /admin/ for a signed-in editor and prints p50/p95
and the number of queries. Runs against a throw-away test database (SQLite unless
DATABASE_URL is set; use PostgreSQL for the large figures). Asserts nothing.

    DATABASE_URL=postgres://... .venv/bin/python bench/dashboard.py [--items 8000] [--runs 30]
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


def main(items, runs):
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.apps import apps

        from ktnsite.roles import editors_group_sync
        from tests.factories import make_staff

        editors_group_sync(apps)
        fill(items)
        client = Client()
        client.force_login(make_staff("eve", groups=["Editors"]))
        client.get("/admin/")  # warm: templates, permissions
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/admin/")
            timings.append(1000 * (time.perf_counter() - start))
            assert response.status_code == 200
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
        p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
        print(f"{connection.vendor}, {items:,} reports x {DAYS} days: GET /admin/ "
              f"p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, "
              f"{len(queries)} queries")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=8000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    main(args.items, args.runs)
