"""The editors' dashboard in Chromium: no axe violations, and reached by keyboard alone."""

import re
import time
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from dashboard.models import DailyCount, ReferrerCount
from tests.browser.admin_helpers import editor_signs_in
from tests.browser.test_admin_accessibility import WCAG22_AA


@pytest.fixture
def busy_day(transactional_db):
    """Something in every panel: a post tomorrow, a report leaving, a late enquiry, a dead
    letter, a live post whose title is too long (checked after its commit), downloads and
    searches counted."""
    from contacts.models import Enquiry
    from dashboard import counts
    from outbox.delivery import OutboxState
    from tests.factories import (
        make_contact,
        make_enquiry,
        make_post,
        make_report,
        make_subscriber,
        make_topic,
    )

    now = timezone.now()
    make_post(title="Budget day briefing", publish_at=now + timedelta(days=1))
    report = make_report(
        title="Winter outlook",
        publish_at=now - timedelta(days=9),
        expire_at=now + timedelta(days=3),
    )
    counts.add("download", f"report-{report.pk}", n=12)
    counts.add("download", f"report-{report.pk}", n=5, when=now - timedelta(days=2))
    counts.add("search", n=9)
    for _ in range(4):
        counts.count_view(f"report-{report.pk}", "linkedin.com")
    counts.add("search-none", "heat pumps", n=3)
    make_post(title="A title far too long for search results and share cards to show in full")
    make_subscriber(topics=[make_topic(name="Net zero"), make_topic(name="Hydrogen")])
    karen = make_contact(name="Karen Wilkinson")
    make_enquiry(contact=karen)
    make_enquiry(contact=karen)
    Enquiry.objects.update(created_at=now - timedelta(days=6))
    Enquiry.objects.filter(pk=Enquiry.objects.first().pk).update(state=OutboxState.FAILED)


def test_the_dashboard_has_no_wcag22_axe_violations(page, busy_day):
    editor_signs_in(page, "/admin/")
    expect(page.get_by_role("heading", name="What needs doing")).to_be_visible()
    expect(page.get_by_role("link", name="Budget day briefing")).to_be_visible()
    expect(page.get_by_role("link", name="2 enquiries waiting for Karen Wilkinson")).to_be_visible()
    expect(page.get_by_role("img", name="Subscribers per topic")).to_be_visible()
    expect(page.get_by_role("img", name="Enquiries per lead")).to_be_visible()
    results = Axe().run(page, options=WCAG22_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_dashboard_on_a_phone_has_no_axe_violations(page, busy_day):
    page.set_viewport_size({"width": 375, "height": 740})
    editor_signs_in(page, "/admin/")
    expect(page.get_by_role("link", name="Budget day briefing")).to_be_visible()
    results = Axe().run(page, options=WCAG22_AA)
    assert results.violations_count == 0, results.generate_report()


def test_an_editor_reaches_tomorrows_post_by_keyboard(page, busy_day):
    editor_signs_in(page, "/admin/")
    target = page.get_by_role("link", name="Budget day briefing")
    for _ in range(40):
        page.keyboard.press("Tab")
        if target.evaluate("link => link === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the calendar's link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/news/post/*/change/")
    expect(page.get_by_label("Title")).to_have_value("Budget day briefing")


def test_an_editor_sees_the_searches_that_found_nothing_and_opens_the_downloads_numbers(
    page, busy_day
):
    editor_signs_in(page, "/admin/")
    nothing = page.get_by_role("table", name="Searches that found nothing")
    expect(nothing.get_by_role("row", name="heat pumps 3")).to_be_visible()
    downloads = page.get_by_role("img", name="Most downloaded")
    expect(downloads).to_be_visible()
    numbers = page.get_by_role("group").filter(has_text="downloads per item")
    numbers.get_by_text("The numbers").click()
    expect(numbers.get_by_role("row", name="Report Winter outlook 17")).to_be_visible()
    results = Axe().run(page, options=WCAG22_AA)
    assert results.violations_count == 0, results.generate_report()


def _views(key):
    """The post's view count as stored. On SQLite the live server's thread shares the test's
    in-memory database, so a read that meets the beacon's write in progress is refused
    ("database table is locked"): read again a moment later, as a reader would reload."""
    from django.db import OperationalError

    from dashboard import pending

    for _ in range(20):
        try:
            pending.flush()  # what the one-minute job does: views counted in Redis, stored
            row = DailyCount.objects.filter(kind="view", key=key).first()
        except OperationalError:
            time.sleep(0.05)
            continue
        return row.count if row else 0
    raise AssertionError(f"the view count of {key} could not be read")


def _wait_for_views(key, expected):
    for _ in range(50):
        if (count := _views(key)) >= expected:
            return count
        time.sleep(0.1)
    return count


def _two_readers(browser, live_server, settings, *, context_options=None, **goto_options):
    """Two readers in fresh browsers open one live post: the first from Django, the second
    from the page cache. Each must be counted by the time its page has loaded, and neither
    is given a cookie. Returns the post's counter key."""
    from tests.factories import make_post

    settings.CACHE_MIDDLEWARE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 60
    post = make_post(title="Heat pumps at scale")
    key = f"post-{post.pk}"
    for n in (1, 2):
        context = browser.new_context(base_url=live_server.url, **(context_options or {}))
        page = context.new_page()
        response = page.goto(post.get_absolute_url(), **goto_options)
        assert response.headers["x-page-cache"] == ("miss" if n == 1 else "hit")
        assert _wait_for_views(key, n) == n
        assert context.cookies() == []
        context.close()
    return key


def test_a_reader_in_chromium_is_counted_from_the_page_cache_without_a_cookie(
    browser, live_server, transactional_db, settings
):
    key = _two_readers(browser, live_server, settings, referer="https://www.linkedin.com/feed/")
    assert list(ReferrerCount.objects.values_list("key", "host", "count")) == [
        (key, "linkedin.com", 2)
    ]
    # The page's <noscript> image is never fetched where scripts run: counted once each.
    time.sleep(1)
    assert _views(key) == 2


def test_a_reader_without_javascript_is_counted_once_by_the_noscript_image(
    browser, live_server, transactional_db, settings
):
    _two_readers(browser, live_server, settings, context_options={"java_script_enabled": False})
    # Where they came from is not known: no referrer row, rather than a wrong one.
    assert not ReferrerCount.objects.exists()


def test_an_editor_opens_a_reports_chart_of_views_and_downloads(page, busy_day):
    from reports.models import Report

    report = Report.objects.get(title="Winter outlook")
    editor_signs_in(page, f"/admin/reports/report/{report.pk}/change/")
    expect(page.get_by_role("img", name="Views per day (4 in all)")).to_be_visible()
    expect(page.get_by_role("img", name="Downloads per day (17 in all)")).to_be_visible()
    numbers = page.get_by_role("group").filter(has_text="downloads per day")
    numbers.get_by_text("The numbers").click()
    today = timezone.localdate().strftime("%a %-d %b")
    expect(numbers.get_by_role("row", name=f"{today} 12")).to_be_visible()
    table = page.get_by_role("table", name="Where readers came from")
    expect(table.get_by_role("row", name="linkedin.com 4")).to_be_visible()
    results = Axe().run(page, options=WCAG22_AA)
    assert results.violations_count == 0, results.generate_report()


def test_an_editor_follows_the_365_days_link_and_the_page_stays_accessible(page, busy_day):
    from reports.models import Report

    editor_signs_in(page, "/admin/")
    spans = page.get_by_role("navigation", name="How many days the readers' figures cover")
    expect(spans.get_by_role("link", name="30 days")).to_have_attribute("aria-current", "true")
    spans.get_by_role("link", name="365 days").click()  # a plain link: no script needed
    expect(page).to_have_url(re.compile(r"days=365"))
    expect(page.get_by_text("The last 365 days, from")).to_be_visible()
    results = Axe().run(page, options=WCAG22_AA)
    assert results.violations_count == 0, results.generate_report()
    report = Report.objects.get(title="Winter outlook")
    page.goto(f"{page.url.split('/admin/')[0]}/admin/reports/report/{report.pk}/change/")
    page.get_by_role("navigation", name="How many days these figures cover").get_by_role(
        "link", name="90 days"
    ).click()
    expect(
        page.get_by_role("heading", name="What readers did with this, the last 90 days")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Downloads per day (17 in all)")).to_be_visible()
    results = Axe().run(page, options=WCAG22_AA)
    assert results.violations_count == 0, results.generate_report()
