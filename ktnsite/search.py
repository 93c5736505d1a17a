"""Site search over the declared content types: ranked full text on PostgreSQL, substrings on SQLite."""

import html
import re
import time
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache, reduce
from operator import and_, or_

import snowballstemmer
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    F,
    FloatField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe

from publishing import registry
from publishing.search import SEARCH_CONFIG, month_lexeme

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
CANDIDATES = 500  # per kind, on PostgreSQL: see _matching()
# Per kind: the rows a quoted phrase is checked on (see _phrase_candidates). As many as an
# unquoted search ranks, so quoting costs what the unquoted search does, whatever the words.
PHRASE_CANDIDATES = CANDIDATES
MAX_RESULTS = 3 * CANDIDATES
# Newest-first date windows (see window_edges): the first holds about this many of a type's
# newest rows, each next one WINDOW_GROWTH times as many; a type with fewer rows has none.
FIRST_WINDOW = 4 * CANDIDATES
WINDOW_GROWTH = 4
WINDOW_STATS_SECONDS = 600  # how long the date statistics the windows come from are kept
# Month windows (see _month_values): this month, then lists of this many whole months,
# newest first, then everything older.
MONTH_WINDOWS = (1, 2, 4, 8, 16)
# A word in more of a type's rows than this is found by walking its date index instead.
COMMON_SHARE = 0.1
SNIPPET_CHARS = 240
# Private-use characters mark matches inside a snippet until it has been escaped; then
# they become <mark> elements. Nothing a reader or editor typed can become markup.
START, STOP = "\ue000", "\ue001"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ue000\ue001]")


@dataclass(frozen=True)
class Kind:
    """One searchable model: how to find it, what to show and which text to quote."""

    key: str
    label: str
    model: type
    title_field: str
    text_fields: tuple  # quoted in snippets, and matched on SQLite (with the title)
    html_fields: tuple = ()  # stored as HTML: tags are stripped before quoting
    date_field: str | None = "publish_at"
    visible_to_readers: str = "live"  # the QuerySet method that says what readers may see
    word_fields: tuple = ()  # plain text whose words "Did you mean …?" may suggest
    rank_field: str = "search_vector"  # the vector ranked by
    # Searched in date windows (see window_edges): a type ranked by a small vector of its
    # own is matched on a large one, stored out of line, which the GIN index answers
    # without reading but walking the date index reads row by row.
    date_windows: bool = False
    # Searched in month windows (see _month_values): its vectors carry their month's lexeme.
    month_windows: bool = False

    def visible(self):
        return getattr(self.model.objects, self.visible_to_readers)()

    @classmethod
    def of(cls, content_type):
        """The search kind of a declared content type (publishing.registry)."""
        spec = content_type.search
        return cls(
            content_type.list_key,
            content_type.plural_label,
            content_type.model,
            content_type.title_field,
            spec.text_fields,
            html_fields=spec.html_fields,
            date_field=spec.date_field,
            visible_to_readers=content_type.visible_to_readers,
            word_fields=spec.word_fields,
            rank_field=spec.rank_field or "search_vector",
            date_windows=spec.rank_field is not None and spec.date_field is not None,
            month_windows=spec.month_field is not None and spec.month_field == spec.date_field,
        )


class _Kinds(Mapping):
    """The searchable kinds by key, read from the registry of content types when first used
    (after every app's ready() has declared its own), and again if the registry changed."""

    _built = (None, {})

    @property
    def _kinds(self):
        generation, kinds = self._built
        if generation != registry.generation:
            kinds = {kind.key: kind for kind in map(Kind.of, registry.searchable())}
            self._built = (registry.generation, kinds)
        return kinds

    def __getitem__(self, key):
        return self._kinds[key]

    def __iter__(self):
        return iter(self._kinds)

    def __len__(self):
        return len(self._kinds)


KINDS = _Kinds()


def clean_query(raw):
    """The query as searched: control characters removed, spaces collapsed, length capped."""
    text = _CONTROL.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def query_words(query):
    words = re.findall(r"\w+", query)[:MAX_WORDS]
    # Single letters match nearly everything by substring; ignore them beside real words.
    longer = [w for w in words if len(w) > 1]
    return longer or words


def _stem(word):
    """A crude English stem for the SQLite fallback: "manufacture" also finds "manufacturing"."""
    for suffix in ("ing", "ers", "er", "ed", "es", "e", "s"):
        if word.lower().endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _uses_full_text():
    return connection.vendor == "postgresql"


def _search_query(query):
    # websearch_to_tsquery accepts anything a person types (quotes, OR, -word, stray
    # punctuation) without a syntax error.
    return SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")


class AllWordsQuery(SearchQuery):
    """A websearch query with each quoted phrase loosened to "all its words, anywhere".

    Every row that matches the phrase query matches this one, and the GIN index answers
    it alone, without reading any row's vector. querytree() keeps the part of the query an
    index can use (it drops negated terms, which only widens the match, and is 'T' when
    nothing is left); its phrase operators (<-> and <N>) then become AND.
    """

    def __init__(self, value, *, config):
        super().__init__(value, config=config, search_type="websearch")

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        tree = f"querytree({sql})"
        return (
            f"(CASE WHEN {tree} = 'T' THEN {sql}"
            f" ELSE regexp_replace({tree}, %s, ' & ', 'g')::tsquery END)",
            [*params, *params, *params, r" <(-|\d+)> "],
        )


def _phrase_candidates(kind, queryset, query, newest_first):
    """SQL for the pks of the newest CANDIDATES phrase hits among `queryset`'s rows.

    The GIN index knows which words a row has but not where, so a phrase must be checked
    row by row, and "community network" has 23,000 rows with both words for 300 with the
    phrase. So it is checked on the newest PHRASE_CANDIDATES rows that have all the words
    only (found by the GIN index, or by walking the date index when they are common),
    which bounds the work whatever the words; the page says so. The check reads the
    vector those rows brought along, in an outer query the ORM cannot write.
    """
    columns = {"phrase_pk": F("pk"), "phrase_vector": F("search_vector")}
    order = "phrase_pk ASC"
    if kind.date_field:
        columns["phrase_date"] = F(kind.date_field)
        order = "phrase_date DESC"
    all_words = (
        queryset.filter(search_vector=AllWordsQuery(query, config=SEARCH_CONFIG))
        .order_by(newest_first)
        .values(**columns)[:PHRASE_CANDIDATES]
    )
    sql, params = all_words.query.sql_with_params()
    # Every value the reader typed goes in as a parameter.
    return RawSQL(  # noqa: S611
        f"SELECT phrase_pk FROM ({sql}) AS phrase_candidates"  # noqa: S608
        " WHERE phrase_vector @@ websearch_to_tsquery(%s::regconfig, %s)"
        f" ORDER BY {order} LIMIT %s",
        (*params, SEARCH_CONFIG, query, CANDIDATES),
    )


def _newest_first(kind):
    return F(kind.date_field).desc() if kind.date_field else F("pk").asc()


def _visible(kind, topic):
    queryset = kind.visible()
    return queryset if topic is None else queryset.filter(topics=topic)


def _newest_matches(kind, queryset, search_query):
    return (
        queryset.filter(search_vector=search_query)
        .order_by(_newest_first(kind))
        .values("pk")[:CANDIDATES]
    )


def matching_candidates(kind, query, topic=None):
    """The pks of the newest CANDIDATES visible items of `kind` matching an unquoted `query`.

    The query whose plan matters (PostgreSQL only): see planned_for_its_terms().
    """
    return _newest_matches(kind, _visible(kind, topic), _search_query(clean_query(query)))


@contextmanager
def planned_for_its_terms():
    """Run the search queries inside unprepared, so each is planned for its terms (PostgreSQL).

    psycopg prepares a statement that a connection has run prepare_threshold times, and
    after five more runs PostgreSQL may plan it once for any parameters (a generic plan).
    That plan cannot know how many rows a term matches: for a term in half of all posts
    it collected and sorted every match instead of walking the date index newest first
    and stopping at CANDIDATES, 5 to 25 times slower and growing with the table. A search
    is parsed and planned in well under a millisecond, so it gains nothing from being
    prepared; every other query on the connection keeps its prepared statements. No
    statement is sent for this (psycopg's prepare_threshold is read per execute).

    Sequential scans are also off for them. A match tested row by row reads each row's
    vector, and a report's (its whole text) is stored out of line: for "quantum", a third
    of 2,000 reports, the planner chose to scan every report, 6,900 pages and 39-59 ms,
    over the GIN index's 240 pages and 0.9 ms, as its costs do not count that reading.
    And so is JIT compilation: the windows never read (see _compile) are planned at their
    full cost, which passed jit_above_cost, and compiling the query took 117 ms of a
    search that then ran in 7. Set for the session and reset after, in one statement each
    (inside a transaction, SET LOCAL: if the search failed there, the rollback undoes it).
    """
    if not _uses_full_text():
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None
    local = connection.in_atomic_block
    with connection.cursor() as cursor:
        scope = "LOCAL " if local else ""
        cursor.execute(f"SET {scope}enable_seqscan = off; SET {scope}jit = off")
    failed = True
    try:
        yield
        failed = False
    finally:
        driver.prepare_threshold = threshold
        if not (failed and local):
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan; RESET jit")


def _matching(kind, query, topic):
    """A queryset of (kind, pk, rank, date) rows for one kind, filtered and ranked."""
    queryset = _visible(kind, topic)
    if _uses_full_text():
        search_query = _search_query(query)
        # Ranking reads every matching row's whole vector, so a common word over 100,000
        # posts would take seconds. Rank only the newest CANDIDATES matches of each kind:
        # for a news site the best of recent matches is what readers want, and a search
        # broad enough to hit the cap is narrowed by adding a word.
        if '"' not in query:
            return _newest_ranked(kind, queryset, search_query)
        candidates = _phrase_candidates(kind, queryset, query, _newest_first(kind))
        queryset = kind.model.objects.filter(pk__in=candidates).annotate(
            rank=SearchRank(F(kind.rank_field), search_query)
        )
    else:
        words = [_stem(w) for w in query_words(query)]
        fields = (kind.title_field, *kind.text_fields)
        queryset = queryset.filter(
            reduce(
                and_,
                [reduce(or_, [Q(**{f"{field}__icontains": w}) for field in fields]) for w in words],
            )
        ).annotate(
            # A match in the title counts for more, as the title is weighted on PostgreSQL.
            rank=Case(
                When(
                    reduce(and_, [Q(**{f"{kind.title_field}__icontains": w}) for w in words]),
                    then=Value(1.0),
                ),
                default=Value(0.5),
                output_field=FloatField(),
            )
        )
    return _ranked_values(kind, queryset.order_by())


class _Months(SearchQuery):
    """A tsquery of month lexemes ("'@2026-11' | '@2026-10'"), written by this module only."""

    def as_sql(self, compiler, connection, **extra_context):
        return "%s::tsquery", [self.source_expressions[0].value]


def _newest_ranked(kind, queryset, search_query, months=None, *, walk=True):
    """The newest CANDIDATES of `queryset`'s rows matching `search_query`, with their rank;
    with `months` (a _Months), only rows of those months; with `walk` False, in an order
    no index gives (the same order), so that the planner cannot walk the date index.

    Ranked in the scan that finds them: the rows it read are not looked up again by their
    keys (or, as the planner chose for reports, by reading every report, a cost that grew
    with their number).
    """
    match = search_query if months is None else search_query & months
    order = _newest_first(kind)
    if not walk:
        # timestamptz + interval is not immutable, so no index can be ordered by it.
        order = (F(kind.date_field) + Value(timedelta(0))).desc()
    return _ranked_values(
        kind,
        queryset.filter(search_vector=match)
        .annotate(rank=SearchRank(F(kind.rank_field), search_query))
        .order_by(order),
    )[:CANDIDATES]


def _ranked_values(kind, queryset):
    date = F(kind.date_field) if kind.date_field else Value(None, output_field=DateTimeField())
    return queryset.annotate(
        kind=Value(kind.key, output_field=CharField()), item_id=F("pk"), item_date=date
    ).values("kind", "item_id", "rank", "item_date")


def search(query, *, kind=None, topic=None):
    """Visible items matching `query`, best first, as dicts of kind, item_id, rank, item_date.

    One query returns every row (at most MAX_RESULTS small ones), so that counting and
    paging need no second pass over the matches.
    """
    query = clean_query(query)
    if not query or (not _uses_full_text() and not query_words(query)):
        return []
    if _uses_full_text():
        return _PagedResults(query, kind, topic)[0:MAX_RESULTS]
    return list(_ordered(_querysets(query, kind, topic))[:MAX_RESULTS])


def _querysets(query, kind, topic):
    kinds = [KINDS[kind]] if kind else list(KINDS.values())
    return [_matching(k, query, topic) for k in kinds]


def _ordered(querysets):
    combined = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    return combined.order_by(F("rank").desc(), F("item_date").desc(nulls_last=True), "item_id")


def search_results(query, *, kind=None, topic=None):
    """What search() finds, as a sequence a Paginator can page through.

    On PostgreSQL nothing is read until a page is asked for, and then only that page's rows
    come back, with the number of all matches beside them (count(*) OVER ()): turning every
    match (up to MAX_RESULTS) into Python dicts cost the page more CPU than the rest of the
    search. On SQLite, the list search() returns.
    """
    query = clean_query(query)
    if not _uses_full_text() or not query:
        return search(query, kind=kind, topic=topic)
    return _PagedResults(query, kind, topic)


# The SQL of the matches' query by (registry generation, type, topic, phrase or not, limits,
# windows per type), with where the query, the current time and the windows' edges go among
# its parameters (see _matches_sql).
_COMPILED = {}
_COMPILED_MAX = 256
_SENTINEL = "\ue002"  # cannot be typed: clean_query keeps it, but it is only ever compared
# Stand-ins for the windows' edges while compiling: dates no item has, each one naming the
# type (its position among the kinds searched) and the edge.
_EDGE_STAND_IN = datetime(1901, 1, 1, tzinfo=UTC)
_EDGE_TEXT = "\ue003"  # and of the month lists: this, the type's position, ":", the number
_COLUMNS = "kind, item_id, rank, item_date"
_PART_COLUMNS = "kind, item_id, rank, item_date::timestamptz AS item_date"


def _matches_sql(query, kind, topic, edges=None):
    """(sql, params) of the matches' query, from this process's compiled copy.

    The ORM took about 40 % of the search page's CPU to build and compile the UNION over
    five types, the same SQL every time but for the words and the moment: it is compiled
    once per shape with a stand-in query, and the parameters that held the stand-in or the
    moment of compiling (live() compares with now) are filled in per search. A parameter
    counts as "now" only if it lies between the clock readings taken around compiling, so a
    fixed date in a type's visible() stays as it is.

    `edges` ({kind key: dates, newest first; for a type with month windows, the moment of
    the search}) splits a type's matches into windows (see window_edges); by default they
    come from the tables' statistics (window_edges), and none for a quoted phrase (checked
    on its newest candidates already).
    """
    phrase = '"' in query
    kinds = [KINDS[kind]] if kind else list(KINDS.values())
    if edges is None:
        edges = {} if phrase else window_edges(kinds, query)
    # What each windowed type's windows are made of: its edges, or for a type searched
    # month by month the values _month_values() makes of the moment it is given.
    edges = {
        k.key: _month_values(edges[k.key][0]) if k.month_windows else tuple(edges[k.key])
        for k in kinds
        if edges.get(k.key)
    }
    shape = tuple(len(edges.get(k.key, ())) for k in kinds)
    # The limits are in the SQL too (and a test may change them).
    limits = (CANDIDATES, PHRASE_CANDIDATES, MAX_RESULTS)
    key = (
        registry.generation,
        kind,
        topic.pk if topic is not None else None,
        phrase,
        limits,
        shape,
    )
    found = _kept(_COMPILED, key, lambda: _compile_matches(phrase, kinds, topic, shape))
    sql, params, query_at, now_at, edge_at = found
    params = list(params)
    now = timezone.now()
    for i in query_at:
        params[i] = query
    for i in now_at:
        params[i] = now
    for i, (position, number) in edge_at:
        params[i] = edges[kinds[position].key][number]
    return sql, params


def _kept(cache, key, make):
    """`cache[key]`, made with make() and kept if missing; a full cache (_COMPILED_MAX) is
    emptied first."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= _COMPILED_MAX:
            cache.clear()
        found = cache[key] = make()
    return found


def _compile_matches(phrase, kinds, topic, shape):
    """(sql, params, where the query goes, where now goes, where each edge goes)."""
    stand_in = f'"{_SENTINEL}"' if phrase else _SENTINEL
    before = timezone.now()
    sql, params = _compile(stand_in, kinds, topic, shape)
    after = timezone.now()
    query_at = [i for i, value in enumerate(params) if value == stand_in]
    now_at = [
        i
        for i, value in enumerate(params)
        if isinstance(value, datetime) and before <= value <= after
    ]
    edge_at = [
        (i, divmod(round((value - _EDGE_STAND_IN).total_seconds()), 1000))
        for i, value in enumerate(params)
        if isinstance(value, datetime)
        and _EDGE_STAND_IN <= value < _EDGE_STAND_IN + timedelta(days=1)
    ] + [
        (i, tuple(map(int, value[1:].split(":"))))
        for i, value in enumerate(params)
        if isinstance(value, str) and value.startswith(_EDGE_TEXT)
    ]
    return sql, tuple(params), query_at, now_at, edge_at


def _compile(stand_in, kinds, topic, shape):
    """The matches of every kind, best first, as (sql, params); a kind with windows in
    `shape` (how many edges) has them with stand-in edges."""
    ctes, parts, params = [], [], []
    for position, (kind, windows) in enumerate(zip(kinds, shape, strict=True)):
        if not windows:
            sql, part_params = _matching(kind, stand_in, topic).query.sql_with_params()
            # An undated kind's NULL dates would be text to PostgreSQL.
            part = f"SELECT {_PART_COLUMNS} FROM ({sql}) AS part{position}"  # noqa: S608
            parts.append((part, part_params))
            continue
        stand_ins = [
            f"{_EDGE_TEXT}{position}:{n}"
            if kind.month_windows and _MONTH_LISTS_FROM <= n < windows - 1
            else _EDGE_STAND_IN + timedelta(seconds=1000 * position + n)
            for n in range(windows)
        ]
        names = []
        search_query = _search_query(stand_in)
        cut = _month_windows if kind.month_windows else _windows
        for number, (window, months, walk) in enumerate(cut(kind, stand_ins)):
            queryset = _visible(kind, topic).filter(window)
            months = _Months(months) if months else None
            matches = _newest_ranked(kind, queryset, search_query, months, walk=walk)
            sql, window_params = matches.query.sql_with_params()
            if names:
                # Run only while the newer windows have found fewer than CANDIDATES: the
                # planner makes this a one-time filter, and a window that is not needed is
                # never read.
                found = " + ".join(f"(SELECT count(*) FROM {name})" for name in names)  # noqa: S608
                sql = f"SELECT * FROM ({sql}) AS window{number} WHERE {found} < {CANDIDATES}"  # noqa: S608
            name = f"w{position}_{number}"
            ctes.append(f"{name} AS MATERIALIZED ({sql})")
            params.extend(window_params)
            names.append(name)
        union = " UNION ALL ".join(f"SELECT {_COLUMNS} FROM {name}" for name in names)  # noqa: S608
        parts.append(
            (
                f"SELECT {_COLUMNS} FROM ({union}) AS part{position}"  # noqa: S608
                f" ORDER BY item_date DESC LIMIT {CANDIDATES}",
                (),
            )
        )
    for _, part_params in parts:
        params.extend(part_params)
    with_ = f"WITH {', '.join(ctes)} " if ctes else ""
    union = " UNION ALL ".join(f"({sql})" for sql, _ in parts)
    return (
        f"{with_}SELECT {_COLUMNS} FROM ({union}) AS matches"  # noqa: S608
        f" ORDER BY rank DESC, item_date DESC NULLS LAST, item_id LIMIT {MAX_RESULTS}",
        params,
    )


def _windows(kind, edges):
    """The date windows `edges` (newest first) cut `kind`'s rows into, newest first, as
    (window, months, walk) like _month_windows(): no months, the date index walkable.

    Undated rows first (they come first newest first; a window of their own, as "or
    undated" would keep the planner from walking the date index), then from edges[0] on,
    from edges[1] up to edges[0] and so on, and before edges[-1] last. No date falls in two,
    so the newest CANDIDATES of the windows' matches, taken newest window first, are the
    newest CANDIDATES of all matches.
    """
    date = kind.date_field
    windows = [Q(**{f"{date}__isnull": True})] if kind.model._meta.get_field(date).null else []
    windows.append(Q(**{f"{date}__gte": edges[0]}))
    windows.extend(
        Q(**{f"{date}__gte": edges[n], f"{date}__lt": edges[n - 1]}) for n in range(1, len(edges))
    )
    windows.append(Q(**{f"{date}__lt": edges[-1]}))
    return [(window, None, True) for window in windows]


# In _month_values(): the start of the next month, then the month lists, then the start of
# the oldest month listed.
_MONTH_LISTS_FROM = 1


def _month_values(moment):
    """What a type's month windows are cut by, for a search at `moment`: the start of the
    next month (UTC), a tsquery of this month's lexeme, one of each list of older months
    (MONTH_WINDOWS), and the start of the oldest month listed.

    The GIN index answers "the query and one of these months" by stepping through the
    shorter of the two lists of rows (a word's, or the months'), so a window costs about
    what its months hold, however rare the words: a word in 0.6 % of a million posts no
    longer fetches its 6,000 rows to keep the newest 500, nor does one in 5 % walk 12,000
    posts for them. The values change once a month, so the compiled SQL does not.
    """
    start = moment.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (start + timedelta(days=32)).replace(day=1)
    months = [start]
    for _ in range(sum(MONTH_WINDOWS)):
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    lists, at = [f"'{month_lexeme(start)}'"], 1
    for size in MONTH_WINDOWS:
        lists.append(" | ".join(f"'{month_lexeme(m)}'" for m in months[at : at + size]))
        at += size
    return (following, *lists, months[-1])


def _month_windows(kind, values):
    """(window, months, walk) cutting `kind`'s rows newest first, from _month_values(): as
    _windows() does, with lists of whole months.

    Undated rows; from the next month on (none, unless readers may see the future); this
    month; each list of older months; and before the oldest month listed. No date falls
    in two. The month windows have no date condition: the months in the GIN index are it.
    """
    date = kind.date_field
    following, *lists, oldest = values
    windows = (
        [(Q(**{f"{date}__isnull": True}), None, True)]
        if kind.model._meta.get_field(date).null
        else []
    )
    windows.append((Q(**{f"{date}__gte": following}), None, True))
    windows.extend((Q(), months, True) for months in lists)
    # Reached only by words with fewer than CANDIDATES matches in all the months listed,
    # so few in all: fetching them all from the GIN index beats walking the date index,
    # which the planner chose on its estimates and which read 22,000 posts for 133.
    windows.append((Q(**{f"{date}__lt": oldest}), None, False))
    return windows


def _common_words_only(query, common):
    """Whether each word `query` asks for (not after "-") is among the `common` lexemes.

    Only a choice of plan, so English stems made here (Snowball's, as PostgreSQL's english
    configuration makes them) are close enough: a wrong guess costs time, never a match.
    """
    words = [word.lower() for minus, word in re.findall(r"(-?)(\w+)", query) if not minus]
    words = [word for word in words if word != "or"]
    return bool(words) and all(_lexeme(word) in common for word in words)


@lru_cache(maxsize=4096)
def _lexeme(word):
    return snowballstemmer.stemmer("english").stemWord(word)


# Per table and date column: (when to read them again, the windows' edges).
_WINDOW_STATS = {}


def window_edges(kinds, query=None):
    """{kind key: the edges of its date windows, newest first} for the kinds searched so.

    Those are the kinds with `date_windows` (reports) and enough rows. Their newest matches
    were found by walking the date index and testing each row's vector: a report's is its
    whole text, stored out of line, so "research -quantum" read 24,894 pages at 20,000
    reports. A bitmap over the GIN index reads
    no vector, but fetched every match (6,400-16,800 reports) to keep the newest 500.
    Searched window by window, newest first and stopping once CANDIDATES are found, the
    planner combines the GIN index with the date index's range (BitmapAnd) and fetches one
    window's matches only; a common word still walks the date index, and stops in the
    first window. The first window holds about FIRST_WINDOW rows, each next one
    WINDOW_GROWTH times as many, read from the date column's histogram in the planner's
    statistics (one query, every WINDOW_STATS_SECONDS per process): rows rather than days,
    so the work stays the same however many items a day brings. The edges only decide how
    much is read: the matches are the same whatever they are.

    Kinds with `month_windows` (posts) with enough rows get (now,), for _month_values(),
    when `query` asks for a word outside their vectors' most common lexemes (in more
    than COMMON_SHARE of rows, from the same statistics): a common word's newest matches
    are found fastest by walking the date index, which stops after about 500 / its share
    rows, while within a month the planner would fetch all of that month's matches. Date
    windows did not help posts: each window scanned the word's whole GIN entry again and
    built a bitmap of its dates (at 1,000,000 posts a rare word went from 13.4 to 22.9 ms).
    """
    wanted = {}
    for kind in kinds:
        if (kind.date_windows or kind.month_windows) and isinstance(
            kind.model._meta.get_field(kind.date_field), DateTimeField
        ):
            field = kind.model._meta.get_field(kind.date_field)
            wanted[kind.key] = [(kind.model._meta.db_table, field.column)]
            if kind.month_windows:
                wanted[kind.key].append((kind.model._meta.db_table, "search_vector"))
    if not wanted or not _uses_full_text():
        return {}
    moment = time.monotonic()
    stale = {
        column
        for columns in wanted.values()
        for column in columns
        if _WINDOW_STATS.get(column, (0,))[0] <= moment
    }
    if stale:
        _read_window_stats(stale, moment + WINDOW_STATS_SECONDS)
    edges = {}
    for kind in kinds:
        if kind.key not in wanted:
            continue
        found = _WINDOW_STATS[wanted[kind.key][0]][1]
        if not found:
            continue
        if not kind.month_windows:
            edges[kind.key] = found
        elif query is not None and not _common_words_only(
            query, _WINDOW_STATS[wanted[kind.key][1]][1]
        ):
            edges[kind.key] = (timezone.now(),)
    return edges


def _read_window_stats(columns, until):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.tablename, s.attname, c.reltuples, s.null_frac,"
            " s.histogram_bounds::text::timestamptz[],"
            " s.most_common_elems::text::text[], s.most_common_elem_freqs"
            " FROM pg_stats AS s JOIN pg_class AS c"
            " ON c.relname = s.tablename AND c.relnamespace = s.schemaname::regnamespace"
            " WHERE s.schemaname = current_schema() AND s.tablename = ANY(%s)"
            " AND s.attname = ANY(%s)",
            ([table for table, _ in columns], [column for _, column in columns]),
        )
        found = {
            (table, column): (rows, null_frac, bounds, elems, freqs)
            for table, column, rows, null_frac, bounds, elems, freqs in cursor
        }
    for column in columns:
        rows, null_frac, bounds, elems, freqs = found.get(column, (0, 0, None, None, None))
        if column[1] == "search_vector":
            # (The frequencies end with three figures of their own: min, max, nulls.)
            common = {e for e, f in zip(elems or (), freqs or (), strict=False) if f > COMMON_SHARE}
            _WINDOW_STATS[column] = (until, frozenset(common))
        else:
            _WINDOW_STATS[column] = (until, _edges(bounds or [], rows * (1 - null_frac)))


def _edges(bounds, rows):
    """Dates with about FIRST_WINDOW, then WINDOW_GROWTH times more and so on, of `rows`
    rows after them, from a histogram's `bounds` (oldest first, equal numbers of rows
    between each two); none past the oldest."""
    buckets = len(bounds) - 1
    if buckets < 1 or rows <= 0:
        return ()
    edges = []
    size = FIRST_WINDOW
    while size < rows:
        at = buckets - size * buckets / rows  # in buckets from the oldest bound
        low = int(at)
        edges.append(bounds[low] + (bounds[low + 1] - bounds[low]) * (at - low))
        size *= WINDOW_GROWTH
    return tuple(edges)


class _PagedResults:
    """The matches of one search on PostgreSQL, fetched a page at a time (see search_results)."""

    def __init__(self, query, kind, topic):
        self._query, self._kind, self._topic = query, kind, topic
        self._count = None
        self._fetched = (None, None, [])  # (start, stop, rows)

    def fetch(self, start, stop):
        """Read the rows start..stop-1 of the whole ordered list, and the count beside them."""
        sql, params = _matches_sql(self._query, self._kind, self._topic)
        stop = max(start, min(stop, MAX_RESULTS))
        with planned_for_its_terms(), connection.cursor() as cursor:
            # The rows are the ORM's; every value the reader typed is a parameter.
            cursor.execute(
                "SELECT kind, item_id, rank, item_date, count(*) OVER ()"  # noqa: S608
                f" FROM ({sql}) AS found"
                " ORDER BY rank DESC, item_date DESC NULLS LAST, item_id LIMIT %s OFFSET %s",
                (*params, stop - start, start),
            )
            fetched = cursor.fetchall()
        rows = [
            {"kind": kind, "item_id": item_id, "rank": rank, "item_date": date}
            for kind, item_id, rank, date, _ in fetched
        ]
        if fetched:
            self._count = min(fetched[0][4], MAX_RESULTS)
        elif start == 0:
            self._count = 0
        elif self._count is None:
            # Past the end: count with the first page (a reader's stale page link).
            self.fetch(0, 1)
        self._fetched = (start, stop, rows)
        return rows

    def __len__(self):
        if self._count is None:
            self.fetch(0, 1)
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else MAX_RESULTS
        have_start, have_stop, rows = self._fetched
        if have_start is not None and have_start <= start and stop <= have_stop:
            return rows[start - have_start : stop - have_start]
        return self.fetch(start, stop)

    def __bool__(self):
        return len(self) > 0

    def prefetch(self, number, per_page):
        """Read page `number` (from 1) now, with the count, so that paging reads nothing more."""
        self.fetch((number - 1) * per_page, number * per_page)
        return self


def _best_first(row):
    """The order search() returns: rank, then newest (undated last), then id."""
    date = row["item_date"]
    return (-row["rank"], date is None, -date.timestamp() if date else 0, row["item_id"])


def is_capped(count):
    """Whether `count` may stop short of every match (see CANDIDATES)."""
    return count >= (CANDIDATES if _uses_full_text() else MAX_RESULTS)


def phrase_window(query):
    """How many recent items of each kind a quoted phrase in `query` is checked on, or None.

    None when there is no phrase, or on SQLite (which has no phrase search).
    """
    if _uses_full_text() and '"' in clean_query(query):
        return PHRASE_CANDIDATES
    return None


@dataclass
class Hit:
    kind: Kind
    item: object
    snippet: str


def hits(rows, query):
    """The items behind one page of `search()` rows, with their highlighted snippets.

    One query per kind on the page, whatever the page size.
    """
    query = clean_query(query)
    wanted = {}
    for row in rows:
        wanted.setdefault(row["kind"], []).append(row["item_id"])
    found = {}
    for key, ids in wanted.items():
        kind = KINDS[key]
        if _uses_full_text():
            items = kind.model.objects.raw(*_hits_sql(kind, ids, query))
        else:
            items = _hits_queryset(kind, ids, None)
        for item in items:
            found[(key, item.pk)] = item
    results = []
    for row in rows:
        item = found.get((row["kind"], row["item_id"]))
        if item is None:  # removed between the two queries
            continue
        kind = KINDS[row["kind"]]
        if _uses_full_text():
            snippet = render_marked(_plain(item.headline, html_source=bool(kind.html_fields)))
        else:
            snippet = highlight(_item_text(kind, item), [_stem(w) for w in query_words(query)])
        results.append(Hit(kind=kind, item=item, snippet=snippet))
    return results


def _hits_queryset(kind, ids, query):
    """`kind`'s items with these ids; on PostgreSQL (`query` given) with their snippets."""
    queryset = kind.model.objects.filter(pk__in=ids).defer("search_vector", kind.rank_field)
    if query is None:
        return queryset
    # The snippet is made in the database, so the texts it quotes (a report's whole
    # extracted text, a post's body) need not come to Python.
    return queryset.defer(*kind.text_fields).annotate(
        headline=SearchHeadline(
            _text_of(kind.text_fields),
            _search_query(query),
            config=SEARCH_CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )


# The SQL of the snippets' query by (registry generation, type, number of ids), with where
# the query and the ids go among its parameters (see _hits_sql).
_HITS_COMPILED = {}
_HITS_STAND_IN_ID = -(2**62)  # no row has a negative id


def _hits_sql(kind, ids, query):
    """(sql, params) of _hits_queryset(kind, ids, query), from this process's compiled copy.

    Building and compiling that queryset took about 1.5 ms of CPU per type on every search
    page, for the same SQL but for the words and the ids: it is compiled once per type and
    number of ids with stand-ins, which are swapped for the real values per search.
    """
    key = (registry.generation, kind.key, len(ids))
    found = _kept(_HITS_COMPILED, key, lambda: _compile_hits(kind, len(ids)))
    sql, params, query_at, id_at = found
    params = list(params)
    for i in query_at:
        params[i] = query
    for i, number in id_at:
        params[i] = ids[number]
    return sql, params


def _compile_hits(kind, count):
    """(sql, params, where the query goes, where each id goes) for `count` ids."""
    stand_ins = [_HITS_STAND_IN_ID + n for n in range(count)]
    sql, params = _hits_queryset(kind, stand_ins, _SENTINEL).query.sql_with_params()
    query_at = [i for i, value in enumerate(params) if value == _SENTINEL]
    id_at = [
        (i, value - _HITS_STAND_IN_ID)
        for i, value in enumerate(params)
        if isinstance(value, int) and 0 <= value - _HITS_STAND_IN_ID < count
    ]
    return sql, tuple(params), query_at, id_at


def _text_of(fields):
    """The quoted fields as one text: Concat wants two at least, a type may have one."""
    if len(fields) == 1:
        return Coalesce(F(fields[0]), Value(""), output_field=CharField())
    return Concat(*_spaced(fields), output_field=CharField())


def _spaced(fields):
    parts = []
    for field in fields:
        if parts:
            parts.append(Value(" "))
        parts.append(F(field))
    return parts


def _plain(text, *, html_source):
    text = text or ""
    if html_source:
        text = html.unescape(strip_tags(text))
    return " ".join(text.split())


def _item_text(kind, item):
    parts = []
    for field in kind.text_fields:
        value = getattr(item, field) or ""
        parts.append(_plain(value, html_source=field in kind.html_fields))
    return " ".join(p for p in parts if p)


def render_marked(text):
    """Escape `text`, then turn START…STOP pairs into <mark> elements."""
    out = []
    for index, piece in enumerate(re.split(f"{START}(.*?){STOP}", text, flags=re.S)):
        piece = piece.replace(START, "").replace(STOP, "")
        out.append(format_html("<mark>{}</mark>", piece) if index % 2 else escape(piece))
    return mark_safe("".join(out))  # noqa: S308 - every piece was escaped above


def highlight(text, words):
    """A short passage of plain `text` around the first match, with every match marked."""
    text = _CONTROL.sub(" ", text)
    if not words:
        return escape(text[:SNIPPET_CHARS])
    # Whole words from their start, so "manufactur" marks "manufacturing" but "a" marks no
    # letter inside another word.
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE
    )
    first = pattern.search(text)
    start = 0 if first is None else max(0, first.start() - SNIPPET_CHARS // 3)
    if start:
        # Begin at a word boundary so the passage does not open mid-word.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < (first.start() if first else start + 20) else start
    passage = text[start : start + SNIPPET_CHARS]
    if start + SNIPPET_CHARS < len(text) and " " in passage:
        passage = passage[: passage.rindex(" ")]  # end on a whole word
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", passage)
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_CHARS < len(text) else ""
    return render_marked(prefix + marked + suffix)
