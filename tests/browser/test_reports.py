"""A reader gets a report in Chromium: from the article's body link, and from the report page."""

from ktnsite.demo.content import SEED_POST_SLUG, SEED_REPORT_SLUG


def test_the_articles_body_link_says_where_it_leads_and_goes_there(page, demo_live):
    page.goto(f"/news/{SEED_POST_SLUG}/")
    page.get_by_role(
        "link", name="Read the Medicines Manufacturing Challenge impact report"
    ).click()
    assert page.url.endswith(f"/reports/{SEED_REPORT_SLUG}/")


def test_the_old_click_here_address_still_delivers_the_report(page, demo_live):
    # The seed's original body linked "Please click here to view the report" to the file;
    # copies of that address elsewhere keep working.
    response = page.request.get(f"/reports/{SEED_REPORT_SLUG}/download/")
    assert response.ok
    assert f'filename="{SEED_REPORT_SLUG}.pdf"' in response.headers["content-disposition"]
    assert response.body().startswith(b"%PDF-")


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
