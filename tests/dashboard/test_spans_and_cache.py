"""The readers' figures over 30, 90 or 365 days, and the day-granular panels kept for a while."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from dashboard import counts
from dashboard.models import DailyCount
from tests.factories import make_report, signed_in

pytestmark = pytest.mark.django_db


def _readers(html):
    return html.split('id="dashboard-readers"')[1].split("</section>")[0]


def _downloads_table(html):
    part = _readers(html).split('id="readers-downloads-heading"')[1]
    part = part.split('id="readers-searches-heading"')[0]
    return re.findall(r'<a href="[^"]+">([^<]+)</a></th><td>(\d+)</td>', part)


def _fill(report):
    for days_ago, n in ((0, 1), (50, 10), (200, 100), (400, 1000)):
        counts.add(
            "download", f"report-{report.pk}", n=n, when=timezone.now() - timedelta(days=days_ago)
        )
    counts.add("search", n=3, when=timezone.now() - timedelta(days=80))


@pytest.mark.parametrize(
    ("query", "days", "total"),
    [("", 30, "1"), ("?days=90", 90, "11"), ("?days=365", 365, "111"), ("?days=30", 30, "1")],
)
def test_the_admin_home_shows_the_span_an_editor_chooses(query, days, total):
    _fill(make_report(title="Winter outlook"))
    response = signed_in("eve", groups=["Editors"]).get(f"/admin/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert _downloads_table(html) == [("Winter outlook", total)]
    panel = _readers(html)
    assert f"The last {days} days" in panel
    # A plain link for each span, the chosen one marked for screen readers too.
    current = re.findall(r'<a href="\?days=(\d+)#dashboard-readers" aria-current="true">', panel)
    assert current == [str(days)]
    assert re.findall(r'href="\?days=(\d+)#dashboard-readers"', panel) == ["30", "90", "365"]
    # Searches per day: one column and one table row per day of the span.
    searches = panel.split('id="readers-searches-heading"')[1]
    searches = searches.split('id="readers-nothing-heading"')[0]
    assert len(re.findall(r"</time></th><td>\d+</td>", searches)) == days
    assert len(re.findall(r'class="dashboard-chart-bar"', searches)) == days


@pytest.mark.parametrize("bad", ["7", "abc", "-30", "1e9", "365.0", "", "90%00", "9" * 400])
def test_a_span_not_offered_shows_the_last_30_days_never_an_error(bad):
    _fill(make_report(title="Winter outlook"))
    response = signed_in("eve", groups=["Editors"]).get("/admin/", {"days": bad})
    assert response.status_code == 200
    assert _downloads_table(response.content.decode()) == [("Winter outlook", "1")]
    assert "The last 30 days" in _readers(response.content.decode())


def test_the_csv_follows_the_chosen_span():
    _fill(make_report(title="Winter outlook"))
    client = signed_in("eve", groups=["Editors"])
    response = client.get(reverse("dashboard-readers-csv", args=["downloads"]), {"days": "365"})
    rows = response.content.decode().splitlines()
    assert rows[1].endswith(",111")
    # The panel's CSV links name the span the editor is looking at.
    panel = _readers(client.get("/admin/?days=90").content.decode())
    csv_url = reverse("dashboard-readers-csv", args=["downloads"])
    assert f'href="{csv_url}?days=90"' in panel


def _item(html):
    return html.split('id="item-readers"')[1].split("</section>")[0]


def test_an_items_change_form_charts_90_or_365_days_on_request():
    report = make_report(title="Winter outlook")
    _fill(report)
    client = signed_in("eve", groups=["Editors"])
    url = f"/admin/reports/report/{report.pk}/change/"
    for query, days, total in (("", 30, 1), ("?days=90", 90, 11), ("?days=365", 365, 111),
                               ("?days=12", 30, 1)):  # fmt: skip
        response = client.get(url + query)
        assert response.status_code == 200
        section = _item(response.content.decode())
        assert f"the last {days} days" in section
        assert f"Downloads per day ({total} in all)" in section
        downloads = section.split('id="item-readers-downloads-heading"')[1]
        table = [int(n) for n in re.findall(r"</time></th><td>(\d+)</td>", downloads)]
        assert len(table) == days and sum(table) == total
        assert re.search(rf'href="\?days={days}#item-readers" aria-current="true"', section)
        # However many days, the chart is as wide: the columns fit its viewBox.
        xs = [float(x) for x in re.findall(r'<rect x="([\d.]+)"', downloads)]
        assert len(xs) == days and max(xs) < 300


def test_the_readers_panel_is_kept_for_a_while_and_costs_no_queries_when_kept(
    django_assert_max_num_queries,
):
    report = make_report(title="Winter outlook")
    counts.add("download", f"report-{report.pk}", n=4)
    client = signed_in("eve", groups=["Editors"])
    # The first visit of a new process: no content type looked up yet (one query for all
    # the types the findings panel shows, not one each), whichever test ran before.
    ContentType.objects.clear_cache()
    with django_assert_max_num_queries(27) as first:  # test_readers' budget
        client.get("/admin/")
    counts.add("download", f"report-{report.pk}", n=5)
    with django_assert_max_num_queries(len(first.captured_queries)) as kept:
        html = client.get("/admin/").content.decode()
    # The figures (by the day) are kept: the new downloads show within five minutes, not now,
    # and the visit reads none of the daily counts.
    assert _downloads_table(html) == [("Winter outlook", "4")]
    assert not any("dashboard_dailycount" in q["sql"] for q in kept.captured_queries)
    assert len(kept.captured_queries) < len(first.captured_queries)
    # Another span is its own figure.
    assert _downloads_table(client.get("/admin/?days=90").content.decode()) == [
        ("Winter outlook", "9")
    ]


def test_what_needs_doing_today_is_never_kept(settings):
    from tests.factories import make_post

    client = signed_in("eve", groups=["Editors"])
    client.get("/admin/")
    make_post(title="Goes live tomorrow", status="published",
              publish_at=timezone.now() + timedelta(days=1))  # fmt: skip
    assert "Goes live tomorrow" in client.get("/admin/").content.decode()


def test_editors_with_other_rights_never_see_anothers_kept_panel():
    report = make_report(title="Winter outlook")
    counts.add("download", f"report-{report.pk}", n=4)
    # An editor who may view reports fills the cache first...
    assert _downloads_table(signed_in("eve", groups=["Editors"]).get("/admin/").content.decode())
    # ...one who may see the counts but not reports gets a panel of their own, without it.
    html = signed_in("sam", perms=["view_dailycount"]).get("/admin/").content.decode()
    assert "dashboard-readers" in html
    assert "Winter outlook" not in html
    # One without the right to the counts sees no panel at all.
    html = signed_in("pat", perms=["view_report"]).get("/admin/").content.decode()
    assert "dashboard-readers" not in html
    assert DailyCount.objects.count() == 1


def test_a_cache_that_is_away_costs_the_queries_not_the_page(monkeypatch):
    from dashboard import panels

    class Away:
        def get(self, *args, **kwargs):
            raise ConnectionError("Redis is away")

        set = get

    monkeypatch.setattr(panels, "cache", Away())
    report = make_report(title="Winter outlook")
    counts.add("download", f"report-{report.pk}", n=4)
    response = signed_in("eve", groups=["Editors"]).get("/admin/")
    assert response.status_code == 200
    assert _downloads_table(response.content.decode()) == [("Winter outlook", "4")]
