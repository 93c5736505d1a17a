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


@pytest.mark.parametrize("screen", ["list", "add", "change", "registrations", "registration"])
def test_the_event_admin_screens_pass_axe(page, demo_live, screen):
    from events.models import Event

    editor_signs_in(page, "/admin/")
    event = Event.objects.get(slug=BRIEFING)
    from events.models import Registration

    url = {
        "registrations": "/admin/events/registration/",
        "registration": f"/admin/events/registration/{Registration.objects.first().pk}/change/",
        "list": "/admin/events/event/",
        "add": "/admin/events/event/add/",
        "change": f"/admin/events/event/{event.pk}/change/",
    }[screen]
    assert page.goto(url).status == 200
    _no_violations(page)


@pytest.mark.parametrize(
    "path",
    [
        "/events/",
        "/events/past/",
        f"/events/{BRIEFING}/",
        "/events/?topic=no-such-topic",
        "/events/continuous-manufacturing-workshop/register/",
    ],  # fmt: skip
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


def test_a_reader_registers_gets_the_email_adds_it_to_a_calendar_and_cancels(
    page, demo_live, smtp_server
):
    """The hybrid workshop has seats left: register, read the email (a real SMTP server),
    open its calendar file, follow its cancel link."""
    import re

    from events.models import Registration

    page.goto("/events/continuous-manufacturing-workshop/")
    page.get_by_role("link", name="Register for Continuous manufacturing workshop").click()
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Accessibility needs (optional)").fill("Step-free access, please.")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Register").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert Registration.objects.get(email="ada@example.com").state == "place"

    (message,) = smtp_server.messages
    assert message["To"] == "ada@example.com"
    attachment = next(part for part in message.iter_attachments())
    assert attachment.get_filename() == "continuous-manufacturing-workshop.ics"
    (item,) = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert str(item["SUMMARY"]) == "Continuous manufacturing workshop"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "teams.example.com" in text  # the joining details, to her only

    cancel = re.search(r"https?://\S+/events/registrations/\S+/cancel/", text).group(0)
    page.goto(cancel[cancel.index("/events/") :])
    page.get_by_role("button", name="Cancel my registration").click()
    assert page.get_by_role("heading", name="Your registration is cancelled").is_visible()
    assert Registration.objects.get(email="ada@example.com").state == "cancelled"


@pytest.mark.parametrize(
    "path",
    [
        "/events/", "/events/past/", f"/events/{BRIEFING}/",
        "/events/continuous-manufacturing-workshop/",
        "/events/continuous-manufacturing-workshop/register/",
    ],
)  # fmt: skip
def test_no_event_page_scrolls_sideways_on_a_phone(page, demo_live, path):
    from tests.browser.test_phones import PHONE

    page.set_viewport_size(PHONE)
    page.goto(path)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0
