"""The report page and the /reports/ list: what readers see, filters, and query budgets."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ktnsite.demo.files import make_pdf
from publishing.models import Status
from tests.factories import make_post, make_report, make_topic

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _on(year, month=6, day=1):
    return datetime(year, month, day, 10, 0, tzinfo=LONDON)


def _main(response):
    html = response.content.decode()
    return html[html.index("<main") :]


def test_the_report_page_shows_everything_a_reader_needs(client, settings):
    settings.REPORTS_ACCESSIBLE_FORMAT_URL = "mailto:formats@example.org"
    topic = make_topic(name="Net Zero")
    report = make_report(
        title="Hydrogen futures",
        summary="What comes next for hydrogen.",
        publish_at=_on(2021, 10, 14),
        topics=[topic],
        content=make_pdf([["One"], ["Two"], ["Three"]]),
    )
    html = _main(client.get(report.get_absolute_url()))
    markers = [
        "<h1>Hydrogen futures</h1>",
        "14/10/2021",
        "What comes next for hydrogen.",
        f'href="{topic.get_absolute_url()}">Net Zero</a>',
        f'href="{report.get_download_url()}"',
        "PDF, ",
        ", 3 pages",
        ">Download the report",
        'href="mailto:formats@example.org">Request an accessible format',
    ]
    positions = [html.find(marker) for marker in markers]
    assert -1 not in positions, [m for m, p in zip(markers, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


def test_the_report_page_lists_the_live_posts_that_announce_it(client):
    report = make_report()
    make_post(title="Report launched today", report=report)
    make_post(title="A draft about the report", report=report, status=Status.DRAFT)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Report launched today" in html
    assert "A draft about the report" not in html


def test_what_an_editor_typed_is_escaped_on_the_report_page(client):
    report = make_report(title="<script>alert(1)</script>", summary="<img src=x onerror=alert(2)>")
    html = client.get(report.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_list_shows_live_reports_newest_first_with_their_facts(client):
    make_report(title="Older report", publish_at=_on(2020))
    make_report(title="Newer report", publish_at=_on(2022))
    make_report(title="Draft report", status=Status.DRAFT)
    html = _main(client.get("/reports/"))
    assert html.index("Newer report") < html.index("Older report")
    assert "Draft report" not in html
    assert ", 2 pages" in html


def test_the_list_is_paginated_and_keeps_its_filters(client):
    topic = make_topic(slug="net-zero")
    for n in range(12):
        make_report(title=f"Net zero report {n:02}", topics=[topic], publish_at=_on(2021, 1, n + 1))
    first = client.get("/reports/?topic=net-zero")
    older = re.search(r'href="(\?topic=net-zero&amp;before=[^"]+)" rel="next">Older<', _main(first))
    assert 'href="?topic=net-zero&amp;page=last">Oldest<' in _main(first)
    html = _main(client.get("/reports/" + older.group(1).replace("&amp;", "&")))
    assert "Net zero report 01" in html
    assert "Net zero report 11" not in html
    assert client.get("/reports/?page=2").status_code == 400


def test_the_list_filters_by_topic(client):
    net_zero = make_topic(slug="net-zero")
    make_report(title="Hydrogen futures", topics=[net_zero])
    make_report(title="Vertical farming", topics=[make_topic(slug="agri-food")])
    html = _main(client.get("/reports/?topic=net-zero"))
    assert "Hydrogen futures" in html
    assert "Vertical farming" not in html


def test_the_list_filters_by_year_and_offers_only_years_with_reports(client):
    make_report(title="From 2021", publish_at=_on(2021))
    make_report(title="From 2023", publish_at=_on(2023))
    html = _main(client.get("/reports/?year=2021"))
    assert "From 2021" in html
    assert "From 2023" not in html
    assert '<option value="2023">2023</option>' in html
    assert '<option value="2022">' not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=nineteen", "There are no reports from that year"),
        ("year=1999", "There are no reports from that year"),
        ("topic=no-such-topic", "There is no such topic"),
    ],
)
def test_a_filter_that_makes_no_sense_is_a_400_with_a_message(client, query, message):
    make_report(publish_at=_on(2021))
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("count", [1, 10])
def test_the_report_list_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    topics = [make_topic(), make_topic()]
    for _ in range(count):
        make_report(topics=topics)
    # years, the chosen topic, page, topics of the page, the topic menu: never a count
    with django_assert_max_num_queries(6):
        assert client.get(f"/reports/?topic={topics[0].slug}").status_code == 200


def test_the_report_page_has_a_fixed_query_budget(client, django_assert_max_num_queries):
    report = make_report(topics=[make_topic() for _ in range(5)])
    for _ in range(5):
        make_post(report=report)
    with django_assert_max_num_queries(3):
        assert client.get(report.get_absolute_url()).status_code == 200


def test_a_download_runs_two_queries(client, django_assert_max_num_queries):
    report = make_report()
    with django_assert_max_num_queries(2):
        response = client.get(report.get_download_url())
        b"".join(response.streaming_content)


def test_empty_filters_redirect_to_a_readable_address(client):
    response = client.get("/reports/?topic=&year=2021")
    assert response.status_code == 302
    assert response["Location"] == "/reports/?year=2021"
    assert client.get("/reports/?topic=&year=")["Location"] == "/reports/"
