"""Events in Chromium: the admin's event screens and the public pages pass axe (WCAG 2.2 AA), the
form works by keyboard, the lists filter without JavaScript, and the calendar file downloads."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from icalendar import Calendar

from tests.browser.admin_helpers import editor_signs_in
from tests.browser.test_admin_accessibility import WCAG22_AA

BRIEFING = "medicines-manufacturing-competition-briefing"


def _no_violations(page):
    page.wait_for_load_state("load")
    results = Axe().run(page, options=WCAG22_AA)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("screen", ["list", "add", "change"])
def test_the_event_admin_screens_pass_axe(page, demo_live, screen):
    from events.models import Event

    editor_signs_in(page, "/admin/")
    event = Event.objects.get(slug=BRIEFING)
    url = {
        "list": "/admin/events/event/",
        "add": "/admin/events/event/add/",
        "change": f"/admin/events/event/{event.pk}/change/",
    }[screen]
    assert page.goto(url).status == 200
    _no_violations(page)


@pytest.mark.parametrize(
    "path",
    ["/events/", "/events/past/", f"/events/{BRIEFING}/", "/events/?topic=no-such-topic"],
)
def test_the_public_event_pages_pass_axe(page, demo_live, path):
    page.goto(path)
    _no_violations(page)


def test_the_list_filters_without_javascript(browser, live_server, demo_live):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/events/")
    page.get_by_label("Format", exact=True).select_option(label="Hybrid (in person and online)")
    page.get_by_role("button", name="Show events").click()
    assert page.url.endswith("/events/?format=hybrid")
    assert page.get_by_role("link", name="Continuous manufacturing workshop").is_visible()
    assert page.get_by_role("link", name="Regional innovation roadshow: Cardiff").count() == 0
    context.close()


def test_a_reader_downloads_the_calendar_file_by_keyboard(page, demo_live):
    page.goto(f"/events/{BRIEFING}/")
    link = page.get_by_role("link", name="Download the calendar file (.ics)")
    link.focus()
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    with open(download_info.value.path(), "rb") as handle:
        calendar = Calendar.from_ical(handle.read())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Medicines Manufacturing Challenge")
    assert page.get_by_role("link", name="Add to Google Calendar").is_visible()


def test_an_editor_fills_in_an_event_by_keyboard(page, demo_live):
    from events.models import Event

    editor_signs_in(page, "/admin/events/event/add/")
    page.get_by_label("Title").fill("Keyboard briefing")
    page.get_by_label("Standfirst").fill("Typed without a mouse.")
    page.get_by_label("Starts: date (dd/mm/yyyy)").fill("03/03/2031")
    page.get_by_label("Starts: time (hh:mm)").fill("10:00")
    page.get_by_label("Ends: date (dd/mm/yyyy)").fill("03/03/2031")
    page.get_by_label("Format:", exact=True).select_option("online")
    page.get_by_label("Ends: time (hh:mm)").press_sequentially("09:00")
    with page.expect_navigation(wait_until="load"):
        page.get_by_label("Ends: time (hh:mm)").press("Enter")  # submits the form: a draft
    assert page.get_by_text("The end must be after the start.").is_visible()
    page.get_by_label("Ends: time (hh:mm)").fill("11:30")
    with page.expect_navigation(wait_until="load"):
        page.get_by_label("Ends: time (hh:mm)").press("Enter")
    errors = page.locator(".errorlist, .errornote").all_inner_texts()
    assert Event.objects.filter(title="Keyboard briefing").exists(), (page.url, errors)
