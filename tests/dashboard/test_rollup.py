"""The readers' span totals made daily: the same figures as summing the daily rows, read cheaply."""

import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from dashboard import counts
from dashboard.models import DailyCount, SpanRollup, SpanTotal
from dashboard.readers import readers_context
from dashboard.rollup import roll_up
from tests.factories import make_post, make_report, make_staff, signed_in

pytestmark = pytest.mark.django_db

# Read on 3 January: the 30-day span starts on 5 December, so its closed days cross the end
# of a month and of a year; the 90 and 365-day spans start in October and January 2026.
TODAY = date(2027, 1, 3)
# (days before TODAY, count): each span's first day, the day before it, yesterday and today.
DAYS_AGO = ((0, 1), (1, 2), (2, 3), (29, 5), (30, 7), (89, 11), (90, 13), (364, 17), (365, 1000))


def _fill():
    """Three reports and three posts, each counted with its own factor on DAYS_AGO; one post
    only today (it climbs into the ranking), one report only before every span."""
    rows = []
    for kind, make in (("download", make_report), ("view", make_post)):
        items = [make(title=f"{kind} {n}") for n in range(3)]
        for factor, item in enumerate(items, start=1):
            key = f"{item._meta.model_name}-{item.pk}"
            rows += [DailyCount(kind=kind, key=key, day=TODAY - timedelta(days=ago), count=n * factor)
                     for ago, n in DAYS_AGO]  # fmt: skip
    today_only = make_post(title="view today only")
    rows.append(DailyCount(kind="view", key=f"post-{today_only.pk}", day=TODAY, count=500))
    long_ago = make_report(title="download long ago")
    rows.append(
        DailyCount(kind="download", key=f"report-{long_ago.pk}", day=date(2025, 1, 1), count=9)
    )
    DailyCount.objects.bulk_create(rows)


def _expected(days):
    """{title: total} over the span, summed here from DAYS_AGO, not by the code under test."""
    expected = {}
    for kind in ("download", "view"):
        for factor in (1, 2, 3):
            expected[f"{kind} {factor - 1}"] = sum(n * factor for ago, n in DAYS_AGO if ago < days)
    expected["view today only"] = 500
    return expected


def _figures(days):
    request = RequestFactory().get("/admin/")
    request.user = make_staff(f"eve{days}{SpanRollup.objects.count()}", groups=["Editors"])
    context = readers_context(request, today=TODAY, days=days)
    return [(row["label"], row["value"]) for row in context["views"] + context["downloads"]]


@pytest.mark.parametrize("days", [30, 90, 365])
def test_the_span_totals_show_the_same_figures_as_the_daily_rows_across_a_year_end(days):
    _fill()
    summed = _figures(days)  # not rolled up yet: the daily rows are summed
    assert roll_up(today=TODAY) > 0
    assert SpanRollup.objects.filter(through=TODAY - timedelta(days=1)).exists()
    rolled = _figures(days)
    assert rolled == summed
    assert dict(rolled) == _expected(days)
    # The report counted only before every span is not shown.
    assert "download long ago" not in dict(rolled)


def test_the_span_totals_are_made_once_a_day_and_the_days_before_go():
    _fill()
    made = roll_up(today=TODAY - timedelta(days=1))
    assert made and SpanTotal.objects.filter(through=TODAY - timedelta(days=2)).count() == made
    assert roll_up(today=TODAY) > 0
    assert roll_up(today=TODAY) == 0  # already made: the hourly job stops at one query
    assert set(SpanTotal.objects.values_list("through", flat=True)) == {TODAY - timedelta(days=1)}
    assert list(SpanRollup.objects.values_list("through", flat=True)) == [TODAY - timedelta(days=1)]
    # One post's 30-day total, summed over 4 December to 2 January.
    key = DailyCount.objects.filter(kind="view", count=1).values_list("key", flat=True).get()
    total = SpanTotal.objects.get(kind="view", days=30, key=key).total
    assert total == sum(n for ago, n in DAYS_AGO if 0 < ago < 30)


def test_a_day_with_nothing_counted_is_rolled_up_and_shows_nothing():
    call_command("roll_up_reader_counts")
    assert SpanRollup.objects.filter(through=timezone.localdate() - timedelta(days=1)).exists()
    html = signed_in("eve", groups=["Editors"]).get("/admin/").content.decode()
    assert "No page views counted yet." in html and "No downloads counted yet." in html


def test_the_rolled_up_admin_home_costs_the_same_queries_and_sums_no_daily_rows(
    django_assert_max_num_queries, settings
):
    settings.DASHBOARD_PANEL_CACHE_SECONDS = 0  # the first visit after the panels expire
    reports = [make_report() for _ in range(12)]
    client = signed_in("eve", groups=["Editors"])
    counts.add("download", f"report-{reports[0].pk}", n=2)
    counts.add("download", f"report-{reports[1].pk}", n=1, when=timezone.now() - timedelta(days=3))
    roll_up()
    # The whole admin home: one query fewer than test_readers's (where each kind's closed
    # days are summed), the readers' panel 8 at most.
    with django_assert_max_num_queries(26) as few:
        client.get("/admin/?days=365")
    day = timezone.localdate()
    DailyCount.objects.bulk_create(
        [DailyCount(day=day - timedelta(days=d), kind=kind, key=f"report-{r.pk}", count=d + 1)
         for d in range(1, 365) for r in reports for kind in ("download", "view")],
        ignore_conflicts=True,
    )  # fmt: skip
    call_command("roll_up_reader_counts", "--again")  # as after loading closed days' counts
    with django_assert_max_num_queries(len(few.captured_queries)) as again:
        response = client.get("/admin/?days=365")
    # The closed days are read from the span totals: no sum of views' or downloads' daily rows.
    summing = [
        query["sql"]
        for query in again.captured_queries
        if re.search(r"SUM\(.*dashboard_dailycount", query["sql"], re.S)
        and re.search(r"'(view|download)'", query["sql"])
    ]
    assert summing == []
    # The report counted on all 365 days: its year's total, today's rows included.
    total = sum(d + 1 for d in range(1, 365)) + 2
    assert f"<td>{total}</td>" in response.content.decode()
