"""Reports searched in date windows find exactly what one search over all of them finds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ktnsite import search as site_search
from publishing.models import Status
from reports.models import Report
from tests.factories import make_post, make_topic
from tests.ktnsite.search_windows import found, unwindowed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="date windows are PostgreSQL's plan"
    ),
]
CANDIDATES = 6  # small, so that a handful of reports fills and overflows the windows
# Hours before now of each report; equal numbers are reports published at the same moment.
# Some are ties at what the tests make window edges (2, 5, 9). Among the reports each query
# finds, the 6th and 7th newest differ: "the newest 6" is then one set, however it is
# found (with a tie there, either plan, windowed or not, may keep either report).
HOURS = [1, 2, 2, 2, 3, 4, 5, 5, 6, 9, 9, 12, 20, 20, 30, 48, 49, 100, 200, 201]


@pytest.fixture
def reports(monkeypatch):
    """Reports about quantum (in the title or only in the summary) and about other things,
    with ties on their publishing time, and beside them reports readers may not see: one
    scheduled for later, one expired, a draft."""
    monkeypatch.setattr(site_search, "CANDIDATES", CANDIDATES)
    now = timezone.now()
    made = []
    for n, hours in enumerate(HOURS):
        about = n % 4
        made.append(
            Report(
                title=f"Quantum sensing {n}" if about == 0 else f"Report {n}",
                slug=f"report-{n}",
                summary="Quantum computing." if about in (1, 2) else "Skills and training.",
                status=Status.PUBLISHED,
                publish_at=now - timedelta(hours=hours),
                file=f"reports/report-{n}.pdf",
            )
        )
    hidden = dict(title="Quantum hidden", summary="Quantum.", file="reports/hidden.pdf")
    made += [
        Report(
            slug="later", status=Status.PUBLISHED, publish_at=now + timedelta(hours=1), **hidden
        ),
        Report(
            slug="expired",
            status=Status.PUBLISHED,
            publish_at=now - timedelta(hours=4),
            expire_at=now - timedelta(minutes=1),
            **hidden,
        ),
        Report(slug="draft", status=Status.DRAFT, publish_at=None, **hidden),
    ]
    Report.objects.bulk_create(made)
    topic = make_topic()
    for report in Report.objects.filter(slug__in=["report-0", "report-1", "report-5", "report-9"]):
        report.topics.add(topic)
    # Posts too, searched unwindowed beside the reports.
    for n in range(3):
        make_post(title=f"Quantum post {n}", topics=[topic] if n else [])
    return now, topic


def _edge_sets(now):
    at = [now - timedelta(hours=h) for h in (2, 5, 9)]  # each the moment of tied reports
    return {
        "at tied moments": at,
        "between moments": [now - timedelta(hours=h) for h in (1.5, 4, 25)],
        "one edge": [now - timedelta(hours=7)],
        "all newer than every report": [now + timedelta(hours=2), now + timedelta(hours=1)],
        "all older than every report": [now - timedelta(days=30), now - timedelta(days=60)],
        "one per moment": [now - timedelta(hours=h) for h in sorted(set(HOURS))],
    }


@pytest.mark.parametrize(
    "query", ["quantum", "quantum -computing", "skills", "report", "quantum OR skills"]
)
@pytest.mark.parametrize("kind", [None, "reports"])
def test_windows_find_the_same_matches_in_the_same_order(reports, query, kind):
    now, _ = reports
    expected = unwindowed(query, kind=kind)
    assert found(query, {}, kind=kind) == expected
    matching = Report.objects.live().filter(search_vector=site_search._search_query(query))
    newest = sorted(matching.values_list("publish_at", flat=True), reverse=True)
    if len(newest) > CANDIDATES:
        assert newest[CANDIDATES - 1] != newest[CANDIDATES]
    for name, edges in _edge_sets(now).items():
        assert found(query, {"reports": edges}, kind=kind) == expected, name


def test_windows_find_the_same_matches_within_a_topic(reports):
    now, topic = reports
    expected = unwindowed("quantum", topic=topic)
    assert {row[0] for row in expected} == {"news", "reports"}
    for name, edges in _edge_sets(now).items():
        assert found("quantum", {"reports": edges}, topic=topic) == expected, name


def test_the_windows_come_from_the_date_statistics(reports, monkeypatch):
    now, _ = reports
    monkeypatch.setattr(site_search, "FIRST_WINDOW", 4)
    monkeypatch.setattr(site_search, "WINDOW_GROWTH", 2)
    monkeypatch.setattr(site_search, "_WINDOW_STATS", {})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_report")
    edges = site_search.window_edges(list(site_search.KINDS.values()))
    # Reports only (posts walk their date index); newest first, about 4, 8 and 16 of the 22
    # dated reports back.
    assert list(edges) == ["reports"]
    assert len(edges["reports"]) == 3
    assert list(edges["reports"]) == sorted(edges["reports"], reverse=True)
    assert now - timedelta(days=9) < edges["reports"][-1] < edges["reports"][0] < now
    # The search page's own query uses them, and finds what one search over all would.
    for query in ("quantum", "skills"):
        rows = site_search.search(query)
        assert [(r["kind"], r["item_id"]) for r in rows] == [
            (kind, pk) for kind, pk, _, _ in unwindowed(query)
        ]


def test_the_date_statistics_are_read_once_for_many_searches(reports, monkeypatch):
    monkeypatch.setattr(site_search, "_WINDOW_STATS", {})
    with CaptureQueriesContext(connection) as queries:
        for query in ("quantum", "skills", "report"):
            site_search.search(query)
    assert sum("pg_stats" in q["sql"] for q in queries.captured_queries) == 1
