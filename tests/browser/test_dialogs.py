"""The share panel's backdrop and status, and error-summary links, in Chromium (issue 15)."""

import pytest
from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG

ARTICLE = f"/news/{SEED_POST_SLUG}/"


def test_a_click_on_the_backdrop_closes_the_share_panel(page, demo_live):
    page.goto(ARTICLE)
    opener = page.get_by_role("button", name="Share this article")
    opener.click()
    panel = page.get_by_role("dialog", name="Share this article")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    # A click inside the panel, on its padding, keeps it open...
    page.mouse.click(box["x"] + 4, box["y"] + 4)
    expect(panel).to_be_visible()
    # ...one on the backdrop closes it, and focus returns to the button.
    page.mouse.click(3, 3)
    expect(panel).to_be_hidden()
    expect(opener).to_be_focused()


@pytest.fixture
def clipboard_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_link_copied_is_cleared_when_the_panel_closes(clipboard_page, demo_live):
    page = clipboard_page
    page.goto(ARTICLE)
    page.get_by_role("button", name="Share this article").click()
    panel = page.get_by_role("dialog", name="Share this article")
    panel.get_by_role("button", name="Copy link").click()
    expect(panel.get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()").endswith(ARTICLE)
    panel.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="Share this article").click()
    expect(panel.get_by_role("status")).to_have_text("")


def _in_view(page, locator):
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("width,height", [(360, 740), (1280, 800)])
def test_an_error_summary_link_shows_the_field_with_its_label_and_message(
    page, demo_live, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/mailing-list/")
    main = page.get_by_role("main")
    main.get_by_label("Email address").fill("not an address")
    main.get_by_role("button", name="Join the mailing list").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Enter an email address like name@example.org.").click()
    field = main.get_by_label("Email address")
    expect(field).to_be_focused()
    label = main.locator("label[for='mailing-list-email']")
    message = main.locator(".field__error").first
    # Regression: the browser's own jump put the input at the top edge, with its label and
    # message scrolled out of sight above it.
    assert page.evaluate("window.scrollY") > 0 or width == 1280
    assert _in_view(page, label) and _in_view(page, message) and _in_view(page, field)


def test_an_enquiry_error_link_shows_the_field_with_its_label(page, demo_live):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/contacts/karen-wilkinson/")
    page.get_by_role("button", name="Send message").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link").nth(1)
    target = link.get_attribute("href")[1:]
    link.click()
    field = page.locator(f"#{target}")
    expect(field).to_be_focused()
    assert _in_view(page, page.locator(f"label[for='{target}']"))
