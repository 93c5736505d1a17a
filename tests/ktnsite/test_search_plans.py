"""On PostgreSQL a search plans for its own terms, however often a long-lived connection ran it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ktnsite import search as site_search
from news.models import Post
from publishing.models import Status
from reports.models import Report
from tests.factories import make_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements and plans are PostgreSQL's"
    ),
]
POSTS = 4000


@pytest.fixture
def half_say_community():
    """POSTS live posts, every other one about "community", and fresh planner statistics."""
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            title=f"Post {n}",
            slug=f"post-{n}",
            standfirst="A community grant." if n % 2 else f"Quantum sensor number {n}.",
            status=Status.PUBLISHED,
            publish_at=now - timedelta(hours=n),
        )
        for n in range(POSTS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE news_post")


def _search_statements():
    """The prepared statements that find items matching a search."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements"
            " WHERE statement LIKE '%%websearch_to_tsquery%%'"
        )
        return cursor.fetchall()


def _plan(query):
    """The EXPLAIN text of the query that finds the newest posts matching `query`."""
    candidates = site_search.matching_candidates(site_search.KINDS["news"], query, topic=None)
    with site_search.planned_for_its_terms():
        return candidates.explain()


def test_a_broad_search_run_twenty_times_on_one_connection_keeps_its_own_plan(
    half_say_community,
):
    # PostgreSQL switches a prepared statement to a generic plan when it estimates that
    # plan no dearer than the custom ones: it did for broad searches over 100,000 posts,
    # not reliably over a test's few thousand. Make this connection prefer generic plans
    # (rolled back with the test's transaction), as a busy production one came to.
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
    for _ in range(20):
        # Every kind, as the search page asks by default.
        rows = site_search.search("community")
        assert len(rows) == site_search.CANDIDATES
    # Never prepared, so each run was planned for its terms...
    assert _search_statements() == []
    # ...while the other queries on the connection are still prepared once they repeat.
    for _ in range(6):
        Post.objects.live().filter(slug="post-1").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] > 0
    # And that plan walks the date index newest first and stops at the newest matches,
    # rather than collecting and sorting half of all posts.
    plan = _plan("community")
    assert plan.lstrip().startswith("Limit"), plan
    assert "Index Scan" in plan and "Sort" not in plan, plan


@pytest.mark.parametrize("kind", [None, "reports"])
def test_reports_matches_are_ranked_in_the_scan_that_finds_them(kind):
    # Looking the matches up again by key made the planner read every report for an
    # exclusion ("research -quantum": 718 pages at 6,000 reports, growing with them).
    for n in range(30):
        make_report(title=f"Research {n}", summary="Quantum" if n % 3 else "Skills")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_report")
    with CaptureQueriesContext(connection) as queries:
        rows = site_search.search("research -quantum", kind=kind)
    assert len(rows) == 10
    (sql,) = [q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert plan.count("on reports_report") == 1, plan


def _windows_read(plan, into=None, window=None):
    """The date windows (CTE names) whose scans of reports ran, from an EXPLAIN JSON plan."""
    into = set() if into is None else into
    name = plan.get("Subplan Name", "")
    window = name.removeprefix("CTE ") if name.startswith("CTE w") else window
    if plan.get("Relation Name") == "reports_report" and plan.get("Actual Loops", 0) > 0:
        into.add(window)
    for child in plan.get("Plans", ()):
        _windows_read(child, into, window)
    return into


def test_a_common_word_reads_only_the_newest_window_of_reports(monkeypatch):
    # Reports are searched newest window first; once one has CANDIDATES matches, the older
    # windows are never read (whatever their plan), as the date index walk stopped before.
    monkeypatch.setattr(site_search, "CANDIDATES", 5)
    now = timezone.now()
    Report.objects.bulk_create(
        Report(
            title=f"Research {n}",
            slug=f"research-{n}",
            summary="Research findings.",
            status=Status.PUBLISHED,
            publish_at=now - timedelta(hours=n + 1),
            file=f"reports/research-{n}.pdf",
        )
        for n in range(40)
    )
    edges = {"reports": [now - timedelta(hours=h) for h in (10, 20, 30)]}
    sql, params = site_search._matches_sql("research", "reports", None, edges=edges)
    with site_search.planned_for_its_terms(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON, TIMING OFF) {sql}", params)
        (plan,) = cursor.fetchone()[0]
    # The undated rows' window (none here) and the newest; not the three older ones.
    assert _windows_read(plan["Plan"]) == {"w0_0", "w0_1"}
