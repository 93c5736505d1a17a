"""Benchmark: search latency and list-page throughput against the configured database.

Run against a database filled by `manage.py generate_content --posts 100000`, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ktn_i7 DJANGO_SECRET_KEY=x \\
        .venv/bin/python bench/search_and_lists.py

It prints figures; nothing here is asserted (timings belong in no test).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
# Full pages are timed as rendered; bench/page_cache.py measures the page cache.
os.environ.setdefault("DJANGO_PAGE_CACHE_SECONDS", "0")
os.environ.setdefault(
    "DJANGO_STATIC_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

import django  # noqa: E402

django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from ktnsite import search as site_search  # noqa: E402
from news.models import Post  # noqa: E402

QUERIES = [
    # With generate_content's vocabulary, roughly: half of all posts, a quarter, a phrase
    # whose words are common but rarely adjacent, one whose words meet in 7% of posts
    # (the date index then walks furthest to find PHRASE_CANDIDATES of them), a rare
    # phrase, 12%, 5% less some, 0.5%, none.
    "community",
    "community network",
    '"community network"',
    '"community innovation"',
    '"carbon capture"',
    "quantum",
    "research -quantum",
    "manufacture",
    "carbon capture",
    "zzzznotaword",
]
RUNS = 15


def _timed(fn, runs=RUNS):
    fn()  # warm caches and connections
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.9) - 1]


def _rows(query):
    return site_search.search(query)


def _search_page(query):
    rows = site_search.search(query)
    page = Paginator(rows, 10).get_page(1)
    site_search.hits(list(page.object_list), query)
    return page.paginator.count


def main():
    print(f"database: {connection.vendor}, live posts: {Post.objects.live().count():,}")
    print(f"\nsearch (count + first page of 10 + snippets), {RUNS} runs each, ms")
    print("(matching only: the one query that finds and ranks, without the snippets)")
    print(f"{'query':32} {'matches':>9} {'median':>8} {'p90':>8} {'matching':>9}")
    for query in QUERIES:
        matches = _search_page(query)
        median, p90 = _timed(lambda q=query: _search_page(q))
        matching, _ = _timed(lambda q=query: _rows(q))
        print(f"{query:32} {matches:>9,} {median:>8.1f} {p90:>8.1f} {matching:>9.1f}")

    client = Client()
    print(f"\nfull pages through Django's test client, {RUNS} runs each")
    print(f"{'path':40} {'queries':>8} {'median ms':>10} {'pages/s':>8}")
    for path in [
        "/search/?q=community",
        "/search/?q=%22community+network%22",
        "/search/?q=manufacture",
        "/search/?q=quantum&type=news&page=3",
        "/news/",
        "/news/?page=500",
        "/news/archive/2020/",
        "/",
        "/feeds/news/",
    ]:
        captured = []

        def count(execute, sql, *args, captured=captured):
            captured.append(sql)
            return execute(sql, *args)

        # Counted with a wrapper: the test client's request resets Django's query log.
        with connection.execute_wrapper(count):
            status = client.get(path).status_code
        assert status == 200, (path, status)
        median, _ = _timed(lambda p=path: client.get(p))
        print(f"{path:40} {len(captured):>8} {median:>10.1f} {1000 / median:>8.1f}")


if __name__ == "__main__":
    # No options; --help says what the script measures instead of running it.
    argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    ).parse_args()
    main()
