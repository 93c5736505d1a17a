"""Posts searched month by month find exactly what one search over all of them finds."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ktnsite import search as site_search
from news.models import Post
from publishing.models import Status
from publishing.search import month_lexeme
from tests.factories import make_post, make_topic
from tests.ktnsite.search_windows import found, unwindowed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="month windows are PostgreSQL's plan"
    ),
]
CANDIDATES = 6  # small, so that a handful of posts fills and overflows the windows
NOW = timezone.now()
THIS_MONTH = NOW.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _months_back(n):
    month = THIS_MONTH
    for _ in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


# When each post was published: spread over a year and more, some at the very start of a
# month (UTC) or a moment before it, some at one moment together.
MOMENTS = [
    NOW - timedelta(hours=1),
    NOW - timedelta(hours=2),
    NOW - timedelta(hours=2),
    THIS_MONTH,
    THIS_MONTH - timedelta(microseconds=1),
    _months_back(1) + timedelta(days=3),
    _months_back(1),
    _months_back(2) + timedelta(days=10),
    _months_back(2) + timedelta(days=10),
    _months_back(3) + timedelta(days=1),
    _months_back(4),
    _months_back(4) - timedelta(seconds=1),
    _months_back(5) + timedelta(days=20),
    _months_back(7),
    _months_back(9) + timedelta(days=2),
    _months_back(13) + timedelta(days=5),
    _months_back(14) - timedelta(microseconds=1),
    _months_back(20),
    _months_back(30) + timedelta(days=1),
]


@pytest.fixture
def posts(monkeypatch):
    """Posts about quantum (in the title or only in the standfirst) and about other things,
    and beside them posts readers may not see: one scheduled for later, one expired, a draft."""
    monkeypatch.setattr(site_search, "CANDIDATES", CANDIDATES)
    monkeypatch.setattr(site_search, "MONTH_WINDOWS", (1, 2, 4))
    topic = make_topic()
    for n, moment in enumerate(MOMENTS):
        about = n % 4
        make_post(
            title=f"Quantum sensing {n}" if about == 0 else f"Post {n}",
            standfirst="Quantum computing." if about in (1, 2) else "Skills and training.",
            publish_at=moment,
            topics=[topic] if n % 3 == 0 else [],
        )
    hidden = dict(title="Quantum hidden", standfirst="Quantum.")
    make_post(status=Status.PUBLISHED, publish_at=NOW + timedelta(hours=1), **hidden)
    make_post(
        status=Status.PUBLISHED,
        publish_at=NOW - timedelta(days=3),
        expire_at=NOW - timedelta(minutes=1),
        **hidden,
    )
    make_post(status=Status.DRAFT, publish_at=None, **hidden)
    return topic


# The moment a search is made at (its month and those before it are the windows): now, at
# the very start of this month, in older months (newer posts then come before the
# windows), after every post, before every post.
MOMENTS_OF_SEARCH = {
    "now": NOW,
    "at the start of this month": THIS_MONTH,
    "in last month": _months_back(1) + timedelta(days=5),
    "in an older month": _months_back(5) + timedelta(days=10),
    "next month": THIS_MONTH + timedelta(days=40),
    "before every post": _months_back(40),
}


@pytest.mark.parametrize(
    "query", ["quantum", "quantum -computing", "skills", "post", "quantum OR skills"]
)
@pytest.mark.parametrize("kind", [None, "news"])
def test_month_windows_find_the_same_matches_in_the_same_order(posts, query, kind):
    expected = unwindowed(query, kind=kind)
    assert expected, query
    for name, moment in MOMENTS_OF_SEARCH.items():
        assert found(query, {"news": (moment,)}, kind=kind) == expected, name


def test_month_windows_find_the_same_matches_within_a_topic(posts):
    expected = unwindowed("quantum", topic=posts)
    assert expected
    for name, moment in MOMENTS_OF_SEARCH.items():
        assert found("quantum", {"news": (moment,)}, topic=posts) == expected, name


def test_the_month_windows_read_the_newest_months_first(posts):
    # The newest months hold the newest 6 "post" matches; the oldest window is not read.
    sql, params = site_search._matches_sql("post", "news", None, edges={"news": (NOW,)})
    with site_search.planned_for_its_terms(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "never executed" in plan


def test_only_a_search_for_less_common_words_is_made_month_by_month(posts, monkeypatch):
    monkeypatch.setattr(site_search, "FIRST_WINDOW", 4)
    monkeypatch.setattr(site_search, "COMMON_SHARE", 0.5)
    monkeypatch.setattr(site_search, "_WINDOW_STATS", {})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE news_post")
    kinds = [site_search.KINDS["news"]]
    # "post" is in every post, "quantum" in about 3 of 4, "skills" in fewer than half:
    # the common words walk the date index, a search with any other word is windowed.
    for query in ("post", "Post quantum", "quantum -skills", "quantum OR post"):
        assert site_search.window_edges(kinds, query) == {}, query
    for query in ("skills", "quantum skills", "skills OR quantum", "zzzznotaword"):
        assert list(site_search.window_edges(kinds, query)) == ["news"], query
    # And the search page finds what one search over all would.
    for query in ("skills", "quantum"):
        rows = site_search.search(query)
        assert [(r["kind"], r["item_id"]) for r in rows] == [
            (kind, pk) for kind, pk, _, _ in unwindowed(query)
        ]


def test_a_posts_vector_carries_its_month_and_follows_a_new_date():
    post = make_post(title="Heat pumps", publish_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    vector = Post.objects.values_list("search_vector", flat=True).get(pk=post.pk)
    assert "'@2026-03'" in vector
    post.publish_at = datetime(2026, 5, 1, 0, 0, tzinfo=UTC)
    post.save(update_fields=["publish_at"])
    vector = Post.objects.values_list("search_vector", flat=True).get(pk=post.pk)
    assert "'@2026-05'" in vector and "'@2026-03'" not in vector
    assert month_lexeme(datetime(2026, 5, 1, 0, 0, tzinfo=UTC)) == "@2026-05"


@pytest.mark.parametrize("query", ["@2026-03", "2026-03", "'@2026-03'", "2026", "03"])
def test_a_reader_cannot_find_posts_by_their_month_lexeme(client, query):
    make_post(title="Heat pumps", publish_at=datetime(2026, 3, 31, 12, 0, tzinfo=UTC))
    assert client.get("/search/", {"q": query}).context["results"] == []
