"""A reader gets a report in Chromium: from the article's body link, and from the report page."""

from ktnsite.demo.content import SEED_POST_SLUG, SEED_REPORT_SLUG


def test_the_articles_body_link_delivers_the_same_report(page, demo_live):
    page.goto(f"/news/{SEED_POST_SLUG}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Please click here to view the report").click()
    download = download_info.value
    assert download.suggested_filename == f"{SEED_REPORT_SLUG}.pdf"


def test_the_report_page_download_works_by_keyboard(page, demo_live):
    page.goto(f"/reports/{SEED_REPORT_SLUG}/")
    button = page.get_by_role("link", name="Download the report")
    button.focus()
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_the_report_list_filters_without_javascript(browser, live_server, demo_live):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/reports/")
    page.get_by_label("Topic", exact=True).select_option(label="Net Zero")
    page.get_by_role("button", name="Show reports").click()
    assert page.url.endswith("/reports/?topic=net-zero")
    assert page.get_by_role("link", name="Hydrogen in Industrial Clusters").is_visible()
    assert page.get_by_role("link", name="Vertical Farming Landscape").count() == 0
    context.close()
