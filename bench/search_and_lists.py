"""Benchmark: searches and list pages on a warm connection, at a given number of posts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ktn_bench DJANGO_SECRET_KEY=x \\
        .venv/bin/python bench/search_and_lists.py --posts 1000000

Builds the database up to --posts posts (and one report per 50 posts) with
`manage.py generate_content`, or reuses what is there, runs ANALYZE, then on one
connection that has already run 50 mixed searches (as a long-running server's has, with
its prepared statements) times each search and each list page --runs times through
Django's test client, printing the median and p95 in ms, the queries per page and the
shape of the page's slowest plan. --vacuum runs VACUUM ANALYZE first: without it the
figures are those of a freshly loaded table (see "visible" in the header: the share of
pages that index-only scans can skip). Nothing here is asserted (timings belong in no test).
"""

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from contextlib import nullcontext
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from ktnsite import search as site_search  # noqa: E402
from ktnsite.models import SearchWord  # noqa: E402
from ktnsite.suggestions import words_rebuild  # noqa: E402
from news.models import Post  # noqa: E402
from publishing.pagination import item_key  # noqa: E402
from publishing.search import SEARCH_CONFIG  # noqa: E402
from reports.models import Report  # noqa: E402
from topics.models import Topic  # noqa: E402

# With generate_content's vocabulary: the share of posts each matches, roughly.
SEARCHES = [
    ("half of all posts", "community"),
    ("broad (two words)", "community network"),
    ("narrow", "quantum"),
    ("phrase", '"carbon capture"'),
    # Its words are in so many rows that each type's all-words candidates fill the cap
    # (PHRASE_CANDIDATES) at any size: the most any phrase is checked on.
    ("phrase, common words", '"community network"'),
    ("exclusion", "research -quantum"),
    ("rare word", "apprenticeship"),
    ("misspelling", "manufacturng"),
    ("no match", "zzzznotaword"),
]
WARM_UP_SEARCHES = 50


def _percentiles(samples):
    samples = sorted(samples)
    p95 = samples[max(0, round(len(samples) * 0.95) - 1)]
    return statistics.median(samples), p95


def _explain(sql, params):
    """(pages read, plan shape, database ms) of one query: buffers and execution time from
    EXPLAIN (ANALYZE, BUFFERS), and the plan's nodes outermost first, e.g.
    'Limit > Index Scan Backward (news_post_live_idx)'."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        explained = cursor.fetchone()[0][0]
    plan = explained["Plan"]
    buffers = plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
    nodes, node = [], plan
    while node and len(nodes) < 4:
        index = node.get("Index Name")
        nodes.append(node["Node Type"] + (f" ({index})" if index else ""))
        node = (node.get("Plans") or [None])[0]
    return buffers, " > ".join(nodes), explained["Execution Time"]


def _plan_text(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(f"    {line}" for (line,) in cursor.fetchall())


def _measure(client, path, runs, plans=False):
    """status, queries, median and p95 ms, median Python CPU ms, pages read, database ms
    (the page's queries run once more under EXPLAIN ANALYZE), plan shape."""
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        status = client.get(path).status_code
    samples, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    buffers, shape, most, database_ms, heaviest = 0, "", -1, 0.0, None
    if connection.vendor == "postgresql":
        for sql, params in captured:
            if sql.lstrip("( ").startswith("SELECT"):
                # A search runs with its own planner settings (planned_for_its_terms): its
                # plan is explained under them.
                searching = "websearch_to_tsquery" in sql
                with site_search.planned_for_its_terms() if searching else nullcontext():
                    read, nodes, ms = _explain(sql, params)
                buffers += read
                database_ms += ms
                if read > most:
                    most, shape, heaviest = read, nodes, (sql, params)
    if plans and heaviest:
        searching = "websearch_to_tsquery" in heaviest[0]
        with site_search.planned_for_its_terms() if searching else nullcontext():
            shape += "\n" + _plan_text(*heaviest)
    return (
        status,
        len(captured),
        *_percentiles(samples),
        statistics.median(cpu),
        buffers,
        database_ms,
        shape,
    )


def _load():
    return ", ".join(f"{load:.1f}" for load in os.getloadavg())


def _build(posts):
    have = Post.objects.count()
    if have < posts:
        wanted_reports = max(0, posts // 50 - Report.objects.count())
        print(
            f"building: {posts - have:,} posts and {wanted_reports:,} reports more ...", flush=True
        )
        call_command("generate_content", posts=posts - have, reports=wanted_reports, seed=have)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if not SearchWord.objects.exists():
        # A database built before search suggested words: the misspelling needs them.
        words_rebuild()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=0, help="Build up to this many posts first.")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--vacuum", action="store_true", help="VACUUM ANALYZE before timing.")
    parser.add_argument(
        "--plans", action="store_true", help="Print each page's heaviest plan in full."
    )
    options = parser.parse_args()
    _build(options.posts)
    visible = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if options.vacuum:
                cursor.execute("VACUUM ANALYZE")
            cursor.execute(
                "SELECT relallvisible::float / greatest(relpages, 1) FROM pg_class"
                " WHERE relname = 'news_post'"
            )
            visible = f", visible: {cursor.fetchone()[0]:.0%}"
    print(f"load average (1, 5, 15 min) before timing: {_load()}")
    print(
        f"database: {connection.vendor}, posts: {Post.objects.count():,} "
        f"(live {Post.objects.live().count():,}), reports: {Report.objects.count():,}{visible}"
    )
    client = Client()
    # A warm connection, as a long-running server's: 50 mixed searches first.
    for n in range(WARM_UP_SEARCHES):
        client.get("/search/", {"q": SEARCHES[n % len(SEARCHES)][1]})

    topic = Topic.objects.first()
    # The keys the Older link of the first page and the Newer link of the oldest page name.
    live = Post.objects.live()
    older = item_key(live.order_by("-publish_at", "-pk")[9])
    newer_than_oldest = item_key(live.order_by("publish_at", "pk")[9])
    pages = [(label, "/search/?" + urlencode({"q": q})) for label, q in SEARCHES]
    pages += [
        ("news list", "/news/"),
        ("news, older page", "/news/?" + urlencode({"before": older})),
        ("news, oldest page", "/news/?page=last"),
        ("news, newer than oldest", "/news/?" + urlencode({"after": newer_than_oldest})),
        ("news archive 2020", "/news/archive/2020/"),
        ("news of a topic", f"/news/?topic={topic.slug}" if topic else "/news/"),
        ("topic hub", topic.get_absolute_url() if topic else "/"),
        ("reports list", "/reports/"),
        ("reports, oldest page", "/reports/?page=last"),
        ("home", "/"),
    ]
    print(f"\n{options.runs} runs each on a warm connection, server side, ms; 'cpu' is the")
    print("Python side's CPU time, 'pages' the 8 kB pages PostgreSQL read for one request")
    print("(both unaffected by other load), 'db' the page's queries' execution time in")
    print("PostgreSQL (EXPLAIN ANALYZE, once more after the runs), 'plan' that of the query")
    print("reading the most")
    print(
        f"{'page':26} {'status':>6} {'queries':>7} {'median':>7} {'p95':>7} {'cpu':>6}"
        f" {'pages':>7} {'db':>6}  plan"
    )
    for label, path in pages:
        status, queries, median, p95, cpu, pages_read, database_ms, shape = _measure(
            client, path, options.runs, plans=options.plans
        )
        print(
            f"{label:26} {status:>6} {queries:>7} {median:>7.1f} {p95:>7.1f} {cpu:>6.1f}"
            f" {pages_read:>7,} {database_ms:>6.1f}  {shape}",
            flush=True,
        )
    print(f"load average (1, 5, 15 min) after timing: {_load()}")
    _print_kept()


def _print_kept():
    """What each search keeps per type (at most CANDIDATES each): work grows with these
    until they reach the cap, so a search that keeps more at one size than at another is
    not the same work. For a quoted phrase, also the rows with all its words that the
    phrase is checked on (at most PHRASE_CANDIDATES per type)."""
    if connection.vendor != "postgresql":
        return
    print(f"\nmatches kept per type (at most {site_search.CANDIDATES} each)")
    for label, query in SEARCHES:
        kept = Counter(row["kind"] for row in site_search.search(query))
        line = ", ".join(f"{kind} {kept.get(kind, 0)}" for kind in site_search.KINDS)
        if site_search.phrase_window(query):
            checked = ", ".join(
                f"{key} {_all_words(kind, query)}" for key, kind in site_search.KINDS.items()
            )
            line += f"; checked for the phrase: {checked}"
        print(f"{label:26} {line}")


def _all_words(kind, query):
    return (
        kind.visible()
        .filter(search_vector=site_search.AllWordsQuery(query, config=SEARCH_CONFIG))
        .values("pk")[: site_search.PHRASE_CANDIDATES]
        .count()
    )


if __name__ == "__main__":
    main()
