"""What readers did, counted without tracking them, and shown to editors as charts and tables."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dashboard import counts
from dashboard.models import DailyCount
from tests.factories import make_report, signed_in

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"


def reader():
    return Client(headers={"user-agent": BROWSER})


def test_a_download_is_counted_for_its_day_with_nothing_about_the_reader():
    report = make_report()
    client = reader()
    for _ in range(2):
        response = client.get(report.get_download_url(), REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 200
        assert not response.cookies
        b"".join(response.streaming_content)
    # Per report, and per report and format (the file's, at the time of the download).
    assert sorted(DailyCount.objects.values_list("day", "kind", "key", "count")) == [
        (timezone.localdate(), "download", f"report-{report.pk}", 2),
        (timezone.localdate(), "download-format", f"report-{report.pk}.pdf", 2),
    ]
    # The table has no column that could hold an address, a user agent or a session.
    assert {field.name for field in DailyCount._meta.fields} == {
        "id",
        "day",
        "kind",
        "key",
        "count",
    }
    assert "198.51.100.7" not in str(list(DailyCount.objects.values()))


def test_staff_and_robots_are_not_counted():
    report = make_report()
    signed_in("eve", groups=["Editors"]).get(report.get_download_url())
    Client(headers={"user-agent": "Googlebot/2.1"}).get(report.get_download_url())
    Client().get(report.get_download_url())  # no user agent at all: not a browser
    assert not DailyCount.objects.exists()


def test_a_search_that_finds_nothing_keeps_its_words_and_one_that_finds_counts_only():
    make_report(title="Medicines manufacturing")
    client = reader()
    assert client.get("/search/", {"q": "  Quantum   Widgets "}).status_code == 200
    client.get("/search/", {"q": "quantum widgets"})
    client.get("/search/", {"q": "medicines"})
    counted = dict(DailyCount.objects.values_list("kind", "count").filter(key=""))
    assert counted == {"search": 3}
    assert list(DailyCount.objects.filter(kind="search-none").values_list("key", "count")) == [
        ("quantum widgets", 2)
    ]


def test_words_that_may_name_someone_are_counted_but_never_kept():
    client = reader()
    client.get("/search/", {"q": "jane.doe@example.org"})
    client.get("/search/", {"q": "call 07700 900123"})
    assert list(DailyCount.objects.filter(kind="search-none").values_list("key", "count")) == [
        ("", 2)
    ]


def test_counting_can_be_switched_off(settings):
    settings.DASHBOARD_READER_COUNTS = False
    report = make_report()
    reader().get(report.get_download_url())
    reader().get("/search/", {"q": "nothing here"})
    assert not DailyCount.objects.exists()


def test_days_are_the_sites_days_across_midnight_and_the_clock_change():
    # 23:30 and 00:30 in London on an ordinary night: two days.
    counts.add("search", when=datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    counts.add("search", when=datetime(2026, 3, 11, 0, 30, tzinfo=UTC))
    # The clocks go back at 02:00 BST on 25 October 2026: 01:30 happens twice, one day.
    counts.add("search", when=datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # 01:30 BST
    counts.add("search", when=datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # 01:30 GMT
    # The night before the clocks go back, 23:30 BST is still the 24th.
    counts.add("search", when=datetime(2026, 10, 24, 22, 30, tzinfo=UTC))
    assert dict(DailyCount.objects.values_list("day", "count")) == {
        date(2026, 3, 10): 1,
        date(2026, 3, 11): 1,
        date(2026, 10, 24): 1,
        date(2026, 10, 25): 2,
    }


def _panel(html):
    return html.split('id="dashboard-readers"')[1].split("</section>")[0]


def _fill_counts(report, other):
    today = timezone.localdate()
    for n in range(3):
        counts.add("download", f"report-{report.pk}", n=5, when=timezone.now() - timedelta(days=n))
    counts.add("download", f"report-{other.pk}", n=2)
    counts.add("download", f"report-{report.pk}", n=100, when=timezone.now() - timedelta(days=40))
    counts.add("search", n=7)
    counts.add("search-none", "heat pumps", n=4)
    counts.add("search-none", "hydrogen buses", n=1)
    return today


def test_editors_see_downloads_and_the_searches_that_found_nothing():
    report = make_report(title="Winter outlook")
    other = make_report(title="Spring review")
    _fill_counts(report, other)
    panel = _panel(signed_in("eve", groups=["Editors"]).get("/admin/").content.decode())
    # The table under the chart says what the bars draw, item for item.
    table = re.findall(r'<a href="[^"]+">([^<]+)</a></th><td>(\d+)</td>', panel)
    assert table == [("Winter outlook", "15"), ("Spring review", "2")]  # the last 30 days only
    drawn = re.findall(r'class="dashboard-chart-value">(\d+)</text>', panel)
    assert drawn == ["15", "2"]
    chart = panel.split("readers-searches-heading")[0]
    widths = [int(w) for w in re.findall(r'<rect x="0" y="\d+" width="(\d+)"', chart)]
    assert widths == [300, 40]  # proportional: 15 → the full width, 2 → 2/15 of it
    assert "Searches per day (7 in all)" in panel
    assert "<tr><td>heat pumps</td><td>4</td></tr>" in panel
    assert panel.index("heat pumps") < panel.index("hydrogen buses")


def test_editors_without_the_right_see_no_reader_figures_and_items_they_may_not_view():
    report = make_report(title="Winter outlook")
    _fill_counts(report, make_report(title="Spring review"))
    page = signed_in("pat", perms=["view_post"]).get("/admin/").content.decode()
    assert "dashboard-readers" not in page
    page = signed_in("sam", perms=["view_dailycount", "view_post"]).get("/admin/").content.decode()
    assert "heat pumps" in _panel(page)
    assert "Winter outlook" not in page


def test_words_typed_by_readers_are_escaped():
    counts.add("search-none", "<img src=x onerror=alert(1)>")
    page = signed_in("eve", groups=["Editors"]).get("/admin/").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_readers_panel_costs_the_same_queries_with_a_year_of_counts(
    django_assert_max_num_queries,
):
    reports = [make_report() for _ in range(12)]
    client = signed_in("eve", groups=["Editors"])
    counts.add("download", f"report-{reports[0].pk}")
    # The whole admin home: every panel, one query per declared type for the calendar strip,
    # the review counts and the scheduler's notice.
    # 27 with the most viewed items (before the day's roll-up: each kind's closed days
    # summed, then today's, the climbing and missing items, the titles, the searches: 9 at
    # most), subscribers per topic (3) and enquiries per month panels.
    with django_assert_max_num_queries(27) as few:
        client.get("/admin/")
    rows = [
        DailyCount(day=timezone.localdate() - timedelta(days=d), kind="download",
                   key=f"report-{r.pk}", count=d + 1)
        for d in range(365) for r in reports
    ]  # fmt: skip
    DailyCount.objects.bulk_create(rows, ignore_conflicts=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/admin/")


def test_a_search_the_page_cache_serves_again_is_counted_once(settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 60
    first = reader().get("/search/", {"q": "quantum widgets"})
    second = reader().get("/search/", {"q": "quantum widgets"})
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert DailyCount.objects.get(kind="search").count == 1


def test_todays_downloads_join_the_closed_days_ranking_kept_since_the_first_visit(settings):
    settings.DASHBOARD_PANEL_CACHE_SECONDS = 0  # the ranking itself, not the panel's HTML
    first = make_report(title="Winter outlook")
    second = make_report(title="Spring review")
    yesterday = timezone.now() - timedelta(days=1)
    counts.add("download", f"report-{first.pk}", n=10, when=yesterday)
    counts.add("download", f"report-{second.pk}", n=3, when=yesterday)
    client = signed_in("eve", groups=["Editors"])
    client.get("/admin/")  # the closed days are summed and kept
    counts.add("download", f"report-{second.pk}", n=12)
    table = re.findall(
        r'<a href="[^"]+">([^<]+)</a></th><td>(\d+)</td>', client.get("/admin/").content.decode()
    )
    assert table == [("Spring review", "15"), ("Winter outlook", "10")]
    counts.add("download", f"report-{first.pk}", n=6)
    table = re.findall(
        r'<a href="[^"]+">([^<]+)</a></th><td>(\d+)</td>', client.get("/admin/").content.decode()
    )
    assert table == [("Winter outlook", "16"), ("Spring review", "15")]


def test_each_figure_downloads_as_csv_with_the_same_numbers_for_staff_with_the_right():
    import csv
    import io

    report = make_report(title="=HYPERLINK(evil)")
    counts.add("download", f"report-{report.pk}", n=4)
    counts.add("search", n=2)
    counts.add("search-none", "heat pumps", n=2)
    client = signed_in("eve", groups=["Editors"])
    page = client.get("/admin/").content.decode()
    for figure in ("downloads", "searches", "nothing-found"):
        assert f'href="/admin/dashboard/readers/{figure}.csv?days=30"' in page

    def rows(figure):
        response = client.get(f"/admin/dashboard/readers/{figure}.csv")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        return list(csv.reader(io.StringIO(response.content.decode())))

    # A title that looks like a formula is quoted so a spreadsheet does not run it.
    assert rows("downloads") == [
        ["item type", "item", "downloads"],
        ["Report", "'=HYPERLINK(evil)", "4"],
    ]
    searches = rows("searches")
    assert len(searches) == 31 and searches[-1] == [timezone.localdate().isoformat(), "2"]
    assert rows("nothing-found") == [["words", "times"], ["heat pumps", "2"]]


def test_the_csv_is_refused_without_the_right_and_an_unknown_figure_is_404():
    assert (
        signed_in("pat", perms=["view_post"])
        .get("/admin/dashboard/readers/searches.csv")
        .status_code
        == 403
    )
    client = signed_in("eve", groups=["Editors"])
    assert client.get("/admin/dashboard/readers/secrets.csv").status_code == 404
    assert Client().get("/admin/dashboard/readers/searches.csv").status_code == 302  # to log in
