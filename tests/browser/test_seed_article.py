"""A reader opens the seed article in Chromium, downloads the report and uses the share panel."""

import re

from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG, SEED_REPORT_SLUG

ARTICLE = f"/news/{SEED_POST_SLUG}/"


def test_view_the_report_opens_the_report_page(page, demo_live):
    page.goto(ARTICLE)
    page.get_by_role("link", name="View the report", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/reports/{SEED_REPORT_SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Medicines Manufacturing Challenge: Impact Report"
    )


def test_the_articles_attachment_card_delivers_the_pdf(page, demo_live):
    page.goto(ARTICLE)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the report").click()
    download = download_info.value
    assert download.suggested_filename == "medicines-manufacturing-challenge-impact-report.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_the_share_panel_opens_and_closes(page, demo_live):
    page.goto(ARTICLE)
    panel = page.get_by_role("dialog", name="Share this article")
    expect(panel).to_be_hidden()
    page.get_by_role("button", name="Share this article").click()
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="LinkedIn")).to_be_visible()
    panel.get_by_role("button", name="Close").click()
    expect(panel).to_be_hidden()
    expect(page.get_by_role("button", name="Share this article")).to_be_focused()


def test_the_share_panel_closes_with_escape(page, demo_live):
    page.goto(ARTICLE)
    opener = page.get_by_role("button", name="Share this article")
    opener.focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name="Share this article")
    expect(panel).to_be_visible()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(opener).to_be_focused()


def test_without_javascript_the_share_links_are_simply_there(browser, live_server, demo_live):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + ARTICLE)
    expect(page.get_by_role("link", name="LinkedIn")).to_be_visible()
    expect(page.get_by_role("link", name="Email")).to_be_visible()
    # Regression: the panel's "Link copied." live region is the script's; without it, an
    # empty status region was exposed to screen readers (and to tests looking for one).
    expect(page.get_by_role("status")).to_have_count(0)
    context.close()


def test_opening_the_article_leaves_focus_and_scroll_at_the_top(page, demo_live):
    # Regression: closing the no-JS panel on load used to fire "close", which focused the
    # share button and scrolled the reader past the title and hero image.
    page.goto(ARTICLE)
    expect(page.get_by_role("button", name="Share this article")).to_be_visible()
    page.wait_for_timeout(200)  # let any queued "close" event run
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.activeElement === document.body")
