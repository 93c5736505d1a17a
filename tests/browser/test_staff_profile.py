"""In Chromium, a colleague's copy of a lead's profile: the copy button works under the CSP, and passes axe."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from ktnsite.roles import editors_group_sync
from tests.browser.test_csp import LISTEN
from tests.factories import make_staff


@pytest.fixture
def staff_page(browser, live_server, demo_live):
    """A page logged in as a member of Editors (the session cookie of a forced login)."""
    editors_group_sync(apps)  # the live-server database is flushed between tests
    client = Client()
    client.force_login(make_staff("colleague", groups=["Editors"]))
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.add_init_script(LISTEN)
    yield page
    context.close()


def test_staff_copy_the_leads_address_with_no_csp_violation(staff_page):
    response = staff_page.goto("/contacts/karen-wilkinson/")
    assert "no-store" in response.headers["cache-control"]
    expect(staff_page.get_by_text("Only staff see this")).to_be_visible()
    staff_page.get_by_role("button", name="Copy address").click()
    expect(staff_page.get_by_role("status").filter(has_text="Address copied.")).to_be_visible()
    assert staff_page.evaluate("navigator.clipboard.readText()") == "karen.wilkinson@example.org"
    assert staff_page.evaluate("window.__violations") == []


def test_the_staff_block_has_no_axe_violations(staff_page):
    staff_page.goto("/contacts/karen-wilkinson/")
    staff_page.get_by_role("button", name="Copy address").wait_for()
    results = Axe().run(staff_page)
    assert results.violations_count == 0, results.generate_report()
