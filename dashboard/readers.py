"""The "What readers did" panel: the daily counts of the last 30, 90 or 365 days, as charts.

Reads only the per-day totals (`DailyCount`), never a row per reader: a year of counts for
many items stays a few grouped queries. Charts are SVG drawn here on the server (no script,
no outside library), each with its numbers in a table beside it.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Sum, Value
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from dashboard.counts import DOWNLOAD, DOWNLOAD_FORMAT, SEARCH, SEARCH_NONE, VIEW
from dashboard.models import DailyCount, ReferrerCount, SpanTotal
from dashboard.panels import change_urls
from dashboard.rollup import SPANS, rolled_up
from publishing.registry import content_types, item_key

DAYS = 30
# SPANS (dashboard.rollup): the spans an editor may choose with `?days=90`; anything else
# is the default, DAYS.
TOP = 10
# Items kept from the closed days' ranking and from today's: far more than TOP, so that one
# an editor may not view, or one that climbs today, still leaves TOP to show.
CANDIDATES = 200
# The bar chart's geometry, in SVG user units (it scales to the panel's width).
BAR_HEIGHT, BAR_GAP, CHART_WIDTH = 12, 18, 300
COLUMN_WIDTH, COLUMNS_HEIGHT = 10, 80
COLUMNS_WIDTH = DAYS * COLUMN_WIDTH


class _AnyOf(Func):
    """`column = ANY(%s)` with the values as one array parameter (PostgreSQL): the SQL is the
    same text whatever their number, so neither Django nor psycopg handles hundreds of
    placeholders (a third of the readers' context's CPU), and it can be prepared."""

    output_field = BooleanField()

    def __init__(self, column, values):
        super().__init__(F(column))
        self.values = list(values)

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} = ANY(%s)", (*params, self.values)


def _one_of(column, values):
    """A filter for `column` in `values`: one array parameter on PostgreSQL, `IN` elsewhere."""
    if connection.vendor == "postgresql":
        return Q(_AnyOf(column, values))
    return Q(**{f"{column}__in": values})


def _items_by_key(user, keys):
    """{"report-3": (type label, title, change url)} for the keys of types `user` may view:
    one query, a UNION ALL of each type's titles."""
    wanted = {}
    for key in keys:
        model_name, _, pk = key.rpartition("-")
        if pk.isdigit():
            wanted.setdefault(model_name, set()).add(int(pk))
    parts, sources = [], []
    for content_type in content_types():
        opts = content_type.model._meta
        pks = wanted.get(opts.model_name)
        if not pks or not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        parts.append(
            content_type.model.objects.filter(_one_of("pk", sorted(pks)))
            .annotate(_source=Value(len(sources)), _title=F(content_type.title_field))
            .values_list("_source", "pk", "_title")
            .order_by()
        )
        sources.append((content_type, change_urls(content_type.model)))
    if not parts:
        return {}
    found = {}
    for source, pk, title in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
        content_type, url = sources[source]
        found[f"{content_type.model._meta.model_name}-{pk}"] = (content_type.label, title, url(pk))
    return found


def _first_of_each(parts, order, fields):
    """The first CANDIDATES rows of each queryset in `parts` (ordered by `order`), as
    `fields` tuples, in one query: a UNION ALL of each part ordered and limited (on SQLite,
    which allows no ORDER BY in a compound's parts, each a `pk IN (… ORDER BY … LIMIT …)`)."""
    if connection.features.supports_slicing_ordering_in_compound:
        parts = [part.order_by(*order).values_list(*fields)[:CANDIDATES] for part in parts]
    else:
        parts = [
            part.model.objects.filter(pk__in=part.order_by(*order).values("pk")[:CANDIDATES])
            .values_list(*fields)
            .order_by()
            for part in parts
        ]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _by_kind(rows, kinds):
    """{kind: {key: total}} from (kind, key, total) rows."""
    grouped = {kind: {} for kind in kinds}
    for kind, key, total in rows:
        grouped[kind][key] = total
    return grouped


def _of_keys(wanted):
    """A filter for (kind, key) pairs: {kind: keys} -> Q, or None when there are none."""
    q = None
    for kind, keys in wanted.items():
        if keys:
            part = Q(kind=kind) & _one_of("key", sorted(keys))
            q = part if q is None else q | part
    return q


def top_items(since, today, kinds=(DOWNLOAD, VIEW), *, rolled=None):
    """{kind: [(key, total)]}: for each kind (downloads, views) the items most counted from
    `since` to `today`, every kind in the same queries.

    The closed days' ranking (`since` to yesterday: every row of those days, millions with
    many items) is read from the day's roll-up (`dashboard.rollup`, one row per item: the
    ranking is the first CANDIDATES rows of an index) when it is made (`rolled`: None to
    ask); before it is (the first minutes after midnight) it is summed once per kind and
    cached until the day ends. Only today's rows, and the past of items that climb today,
    are read on each visit.
    """
    yesterday = today - timedelta(days=1)
    days = (today - since).days + 1
    if rolled is None:
        rolled = rolled_up(today)
    if rolled and days in SPANS:
        closed = SpanTotal.objects.filter(days=days, through=yesterday)
        past = _by_kind(
            _first_of_each(
                [closed.filter(kind=kind) for kind in kinds],
                ("-total", "key"),
                ("kind", "key", "total"),
            ),
            kinds,
        )
    else:
        closed = (
            DailyCount.objects.filter(day__gte=since, day__lte=yesterday)
            .values("kind", "key")
            .annotate(total=Sum("count"))
        )
        past = {}
        for kind in kinds:
            cache_key = f"dashboard:{kind}:{since.isoformat()}:{yesterday.isoformat()}"
            past[kind] = cache.get(cache_key)
            if past[kind] is None:
                ranked = closed.filter(kind=kind).order_by("-total", "key")[:CANDIDATES]
                past[kind] = {row["key"]: row["total"] for row in ranked}
                cache.set(cache_key, past[kind], 60 * 60 * 25)
    todays = DailyCount.objects.filter(day=today)
    now = _by_kind(
        _first_of_each(
            [todays.filter(kind=kind) for kind in kinds],
            ("-count", "key"),
            ("kind", "key", "count"),
        ),
        kinds,
    )
    # Items of the closed ranking read today but below today's first CANDIDATES.
    missing = _of_keys({kind: set(past[kind]) - set(now[kind]) for kind in kinds})
    if missing is not None:
        for kind, key, count in todays.filter(missing).values_list("kind", "key", "count"):
            now[kind][key] = count
    # Items that climb today: their closed days' totals, below the closed ranking's first.
    climbing = _of_keys({kind: set(now[kind]) - set(past[kind]) for kind in kinds})
    if climbing is not None:
        past = {kind: dict(past[kind]) for kind in kinds}
        for kind, key, total in closed.filter(climbing).values_list("kind", "key", "total"):
            past[kind][key] = total
    ranked = {}
    for kind in kinds:
        totals = {
            key: past[kind].get(key, 0) + now[kind].get(key, 0)
            for key in set(past[kind]) | set(now[kind])
        }
        ranked[kind] = sorted(totals.items(), key=lambda pair: (-pair[1], pair[0]))[:CANDIDATES]
    return ranked


def bars(rows):
    """Horizontal bars for [{"value": n, ...}]: each with its y and width."""
    top = max((row["value"] for row in rows), default=0) or 1
    return [
        {
            **row,
            "y": i * (BAR_HEIGHT + BAR_GAP),
            "width": max(round(row["value"] * CHART_WIDTH / top), 1),
        }
        for i, row in enumerate(rows)
    ]


def bars_svg(rows):
    """The SVG elements of a bar chart made by `bars()`: each bar's label, bar and number,
    written here in one pass; a template drew them with a node per number, a third of the
    panels' rendering."""
    return mark_safe(  # noqa: S308 - the labels are escaped, the rest are numbers
        "".join(
            f'\n  <text x="0" y="{bar["y"] + 11}" class="dashboard-chart-label">'
            f"{escape(Truncator(bar['label']).chars(50))}</text>"
            f'\n  <rect x="0" y="{bar["y"] + 14}" width="{bar["width"]}" height="{BAR_HEIGHT}"'
            ' class="dashboard-chart-bar"></rect>'
            f'\n  <text x="{bar["width"] + 4}" y="{bar["y"] + 25}" class="dashboard-chart-value">'
            f"{escape(localize(bar['value']))}</text>"
            for bar in rows
        )
    )


def columns_svg(shown, width):
    """The SVG columns of a chart made by `columns()`, `width` wide each (`column_width()`),
    written here in one pass, as `bars_svg`."""
    return mark_safe(  # noqa: S308 - numbers only
        "".join(
            f'\n  <rect x="{column["x"]}" y="{column["y"]}" width="{width}"'
            f' height="{column["height"]}" class="dashboard-chart-bar"></rect>'
            for column in shown
        )
    )


def _svg_number(value):
    """A coordinate as SVG text: a plain "12.5", never a locale's "12,5"."""
    return f"{round(value, 2):g}"


def columns(days):
    """Vertical columns for [(day, value)], oldest first: each with its x, y and height.

    However many days, the columns share the width of 30 (COLUMNS_WIDTH user units): a year's
    chart is as wide on the page as a month's, with thinner columns.
    """
    top = max((value for _, value in days), default=0) or 1
    step = COLUMNS_WIDTH / max(len(days), 1)
    shown = []
    for i, (day, value) in enumerate(days):
        height = round(value * COLUMNS_HEIGHT / top)
        shown.append(
            {
                "day": day,
                "value": value,
                "x": _svg_number(i * step),
                "y": COLUMNS_HEIGHT - height,
                "height": height,
            }
        )
    return shown


def column_width(days):
    """Each column's drawn width for a chart of `days` days: a gap of a fifth between them."""
    return _svg_number(COLUMNS_WIDTH / max(days, 1) * 0.8)


def chosen_days(request):
    """The span asked for with `?days=` when it is one of SPANS, else DAYS: never an error."""
    value = request.GET.get("days", "") if request is not None else ""
    return int(value) if value in {str(span) for span in SPANS} else DAYS


def spans(days):
    """The links to each span, the chosen one marked: [{"days", "current"}]."""
    return [{"days": span, "current": span == days} for span in SPANS]


def readers_context(request, *, today=None, days=None):
    days = days or chosen_days(request)
    today = today or timezone.localdate()
    since = today - timedelta(days=days - 1)
    recent = DailyCount.objects.filter(day__gte=since, day__lte=today)
    top = top_items(since, today)
    ranked, viewed = top[DOWNLOAD], top[VIEW]
    items = _items_by_key(request.user, [key for key, _total in ranked + viewed])
    downloads, views = (
        [
            {"label": items[key][1], "type": items[key][0], "url": items[key][2], "value": total}
            for key, total in pairs
            if key in items
        ][:TOP]
        for pairs in (ranked, viewed)
    )
    per_day = dict(recent.filter(kind=SEARCH, key="").values_list("day", "count"))
    searches = [(since + timedelta(days=n), per_day.get(since + timedelta(days=n), 0))
                for n in range(days)]  # fmt: skip
    nothing_found = list(
        recent.filter(kind=SEARCH_NONE)
        .exclude(key="")
        .values("key")
        .annotate(total=Sum("count"))
        .order_by("-total", "key")[:TOP]
    )
    downloads_bars = bars(downloads)
    views_bars = bars(views)
    return {
        "views": views_bars,
        "views_height": len(views_bars) * (BAR_HEIGHT + BAR_GAP),
        "days": days,
        "spans": spans(days),
        "since": since,
        "downloads": downloads_bars,
        "downloads_height": len(downloads_bars) * (BAR_HEIGHT + BAR_GAP),
        "chart_width": CHART_WIDTH,
        "searches": columns(searches),
        "searches_total": sum(value for _, value in searches),
        "columns_width": COLUMNS_WIDTH,
        "columns_height": COLUMNS_HEIGHT,
        "column_width": column_width(days),
        "nothing_found": nothing_found,
    }


def item_readers_context(user, instance, *, today=None, days=DAYS):
    """One item's views and downloads per day and where its readers came from, for its
    change form: three grouped queries over its own daily rows (four for an item counted by
    format, a report: `download_formats()`); None without the right."""
    if instance is None or instance.pk is None or not user.has_perm("dashboard.view_dailycount"):
        return None
    key = item_key(instance)
    today = today or timezone.localdate()
    since = today - timedelta(days=days - 1)
    per_kind = {VIEW: {}, DOWNLOAD: {}}
    rows = DailyCount.objects.filter(
        kind__in=list(per_kind), key=key, day__gte=since, day__lte=today
    ).values_list("kind", "day", "count")
    for kind, day, count in rows:
        per_kind[kind][day] = count
    span = [since + timedelta(days=n) for n in range(days)]
    views = columns([(day, per_kind[VIEW].get(day, 0)) for day in span])
    downloads = columns([(day, per_kind[DOWNLOAD].get(day, 0)) for day in span])
    formats = dict(instance.download_formats()) if hasattr(instance, "download_formats") else {}
    per_format = []
    if formats:
        # An item whose downloads are counted by format (a report: `download_formats()`).
        rows = (
            DailyCount.objects.filter(
                kind=DOWNLOAD_FORMAT,
                key__in=[f"{key}.{name}" for name in formats],
                day__gte=since,
                day__lte=today,
            )
            .values("key")
            .annotate(total=Sum("count"))
            .order_by("-total", "key")
        )
        per_format = [
            {"label": formats[row["key"].rpartition(".")[2]], "value": row["total"]} for row in rows
        ]
    referrers = list(
        ReferrerCount.objects.filter(key=key, day__gte=since, day__lte=today)
        .values("host")
        .annotate(total=Sum("count"))
        .order_by("-total", "host")[:TOP]
    )
    return {
        "days": days,
        "spans": spans(days),
        "since": since,
        "views": views,
        "views_total": sum(column["value"] for column in views),
        "downloads": downloads,
        "downloads_total": sum(column["value"] for column in downloads),
        "per_format": per_format,
        # Downloads counted before formats were (issue 30), or of a file of no known format.
        "format_unknown": max(
            sum(column["value"] for column in downloads) - sum(r["value"] for r in per_format),
            0,
        ),
        "counts_formats": bool(formats),
        "referrers": bars([{"label": row["host"], "value": row["total"]} for row in referrers]),
        "columns_width": COLUMNS_WIDTH,
        "columns_height": COLUMNS_HEIGHT,
        "column_width": column_width(days),
    }
