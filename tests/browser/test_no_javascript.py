"""With JavaScript off in Chromium nothing visible does nothing: no dead share or close button (issue 15)."""

import re

import pytest
from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG

ARTICLE = f"/news/{SEED_POST_SLUG}/"


@pytest.fixture
def no_js_page(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_without_javascript_no_share_or_close_button_is_shown(no_js_page, demo_live):
    no_js_page.goto(ARTICLE)
    # Regression: .button{display:inline-block} beat the hidden attribute, so a "Share this
    # article" that opened nothing and a "Close" that hid the links for good were shown.
    expect(no_js_page.get_by_role("button", name="Share this article")).to_be_hidden()
    expect(no_js_page.get_by_role("button", name="Close")).to_be_hidden()
    expect(no_js_page.get_by_role("button", name="Copy link")).to_be_hidden()
    for name in ["LinkedIn", "X", "Facebook", "Email"]:
        link = no_js_page.get_by_role("link", name=re.compile(rf"^{name}( \(opens|$)"))
        expect(link).to_be_visible()


@pytest.mark.parametrize(
    "path", [ARTICLE, "/", "/news/", "/reports/", "/contacts/karen-wilkinson/", "/mailing-list/"]
)
def test_without_javascript_every_visible_button_submits_a_form(no_js_page, demo_live, path):
    no_js_page.goto(path)
    dead = no_js_page.evaluate(
        """() => [...document.querySelectorAll('button')]
            .filter(b => b.checkVisibility())
            .filter(b => !(b.form && b.type === 'submit' && b.form.method !== 'dialog'))
            .map(b => b.textContent.trim())"""
    )
    assert dead == []


def test_without_javascript_the_topic_sign_up_still_ticks_the_topic(no_js_page, demo_live):
    no_js_page.goto("/topics/space/")
    no_js_page.get_by_role("link", name="Get emails about Space").click()
    expect(no_js_page.locator("main form").get_by_label("Space")).to_be_checked()
