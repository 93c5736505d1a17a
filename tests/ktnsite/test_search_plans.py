"""On PostgreSQL a search plans for its own terms, however often a long-lived connection ran it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ktnsite import search as site_search
from news.models import Post
from publishing.models import Status
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
