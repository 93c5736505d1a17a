"""A reader in Chromium finds an open funding opportunity on their topic, adds its deadline to a
calendar and signs up for reminders; the finder works by keyboard and without overflow at 320 px."""

import re
from pathlib import Path

import icalendar
from django.core import mail
from playwright.sync_api import expect

from ktnsite.models import OpportunityWatch
from mailinglist.models import Subscriber
from opportunities.models import Opportunity


def test_a_reader_finds_a_call_adds_its_deadline_and_signs_up_for_reminders(page, demo_live):
    page.goto("/topics/medicines-manufacturing/")
    hub = page.get_by_role("region", name="Open opportunities")
    hub.get_by_role("link", name="Medicines manufacturing innovation fund").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Medicines manufacturing innovation fund"
    )
    expect(page.locator(".opportunity__state")).to_contain_text("Open: Closes ")
    apply = page.get_by_role("link", name="Apply for Medicines manufacturing innovation fund")
    assert apply.get_attribute("href").startswith("https://")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add the deadline to my calendar").click()
    calendar = icalendar.Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    opportunity = Opportunity.objects.get(slug="medicines-manufacturing-innovation-fund")
    assert event.decoded("DTSTART") == opportunity.closes_at
    page.get_by_role("link", name="join the mailing list for Medicines Manufacturing").click()
    expect(page.get_by_label("Medicines Manufacturing")).to_be_checked()
    page.get_by_label("Email address").fill("reader@example.org")
    page.get_by_label("I agree to").check()
    page.get_by_role("button", name="Join the mailing list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    subscriber = Subscriber.objects.get()
    assert [topic.slug for topic in subscriber.topics.all()] == ["medicines-manufacturing"]


def test_a_reader_asks_for_a_reminder_from_the_page_without_javascript(
    browser, live_server, demo_live
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/opportunities/medicines-manufacturing-innovation-fund/")
    reminders = page.get_by_role("region", name="Reminders before deadlines")
    reminders.get_by_label("Email address").fill("reader@example.org")
    reminders.get_by_label("I agree to").check()
    reminders.get_by_role("button", name="Email me a reminder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    (message,) = [m for m in mail.outbox if m.subject.startswith("Confirm your reminder")]
    link = re.search(r"/mailing-list/reminder/\?token=\S+", message.body).group(0)
    page.goto(link)
    assert OpportunityWatch.objects.get().confirmed_at is None  # opening the link is not enough
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reminder is confirmed")
    assert OpportunityWatch.objects.get().confirmed_at is not None
    context.close()


def test_the_finder_filters_by_keyboard_without_javascript(browser, live_server, demo_live):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/opportunities/")
    page.get_by_label("Who can apply").select_option(label="Micro or SME business")
    page.get_by_label("Who can apply").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show opportunities")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/opportunities/?**who=sme**")
    cards = page.locator(".opportunity-card h2")
    titles = cards.all_inner_texts()
    assert "Vertical farming scale-up loans" in titles
    assert "Net zero heat pump prize" in titles  # any business may apply
    expect(page.get_by_role("status")).to_contain_text("opportunit")
    context.close()


def test_the_finder_and_a_page_do_not_scroll_sideways_at_320_px(browser, live_server, demo_live):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/opportunities/", "/opportunities/net-zero-heat-pump-prize/"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    context.close()
