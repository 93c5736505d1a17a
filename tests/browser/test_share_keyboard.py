"""The share panel used by keyboard alone in Chromium: open, move through, close, come back."""

from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG

ARTICLE = f"/news/{SEED_POST_SLUG}/"


def test_the_share_panel_works_by_keyboard(page, demo_live):
    page.goto(ARTICLE)
    opener = page.get_by_role("button", name="Share this article")
    opener.focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name="Share this article")
    expect(panel).to_be_visible()
    # Focus moves into the panel, and Tab walks through every share link in order.
    expect(panel.get_by_role("link", name="LinkedIn")).to_be_focused()
    for name in ["X", "Facebook", "Email"]:
        page.keyboard.press("Tab")
        expect(panel.get_by_role("link", name=name)).to_be_focused()
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Copy link")).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(opener).to_be_focused()
    # And it opens again the same way.
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()


def test_the_share_links_carry_the_title_and_address(page, demo_live, live_server):
    page.goto(ARTICLE)
    page.get_by_role("button", name="Share this article").click()
    href = page.get_by_role("link", name="LinkedIn").get_attribute("href")
    assert href.startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    assert SEED_POST_SLUG in href
    email = page.get_by_role("link", name="Email").get_attribute("href")
    assert email.startswith("mailto:?subject=KTN%20and%20UKRI")


def test_no_third_party_script_is_loaded(page, demo_live, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(ARTICLE)
    page.get_by_role("button", name="Share this article").click()
    assert requested
    assert all(url.startswith(live_server.url) for url in requested), requested


def test_devices_with_web_share_are_offered_the_native_sheet(page, demo_live):
    # Headless Chromium has no share sheet: stand in for the device's and record the call.
    page.add_init_script(
        "navigator.share = (data) => { window.__shared = data; return Promise.resolve(); };"
    )
    page.goto(ARTICLE)
    page.get_by_role("button", name="Share this article").click()
    page.get_by_role("button", name="More sharing options").click()
    shared = page.evaluate("window.__shared")
    assert shared["title"].startswith("KTN and UKRI Release")
    assert shared["url"].endswith(ARTICLE)
