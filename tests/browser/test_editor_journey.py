"""An editor writes, illustrates, previews, schedules and publishes a post; a reader finds it."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.admin_helpers import click_and_wait_for_close, editor_signs_in
from tests.factories import make_image_bytes

TITLE = "Hydrogen valleys win new funding"


def _set_publish_time(page, when):
    when = timezone.localtime(when)
    page.fill("#id_publish_at_0", when.strftime("%d/%m/%Y"))
    page.fill("#id_publish_at_1", when.strftime("%H:%M:%S"))


def test_an_editor_takes_a_post_from_draft_to_published(page, browser, live_server):
    editor_signs_in(page, "/admin/news/post/add/")

    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Standfirst").fill("Three hydrogen valleys share new funding.")
    body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.type("The valleys will link producers and users of hydrogen.")
    # The hero comes from the library: uploaded in the chooser's popup, alt text asked there.
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Upload a new image").click()
    popup = opened.value
    popup.set_input_files(
        "#id_file",
        files=[{"name": "valley.jpg", "mimeType": "image/jpeg", "buffer": make_image_bytes()}],
    )
    popup.get_by_label("Alt text").fill("Hydrogen storage tanks in a green valley")
    # The popup hands the new image to the form and closes.
    click_and_wait_for_close(popup, popup.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".image-chooser__preview")).to_be_visible()
    expect(page.locator(".image-chooser__title")).to_contain_text("Hydrogen storage tanks")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("Draft saved: readers cannot see it.")

    # Preview the draft at its public address.
    page.get_by_role("link", name="View on site").click()
    # Asked for by its words: until the page's script has run, the share panel is open too.
    expect(page.get_by_role("status").filter(has_text="Not public")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".article__body")).to_contain_text("link producers and users")
    expect(page.get_by_alt_text("Hydrogen storage tanks in a green valley")).to_be_visible()
    page.go_back()

    # Schedule it for tomorrow: the button's name follows the time typed, the message says
    # when it goes live, readers do not see it yet.
    expect(page.get_by_role("button", name="Publish", exact=True)).to_be_visible()
    tomorrow = timezone.localtime() + timedelta(days=1)
    _set_publish_time(page, tomorrow)
    schedule = page.get_by_role("button", name=f"Schedule for {tomorrow:%d/%m/%Y %H:%M}")
    schedule.click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"Scheduled: it goes live on {tomorrow:%d/%m/%Y %H:%M} by itself."
    )
    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto("/news/")
    expect(reader.get_by_role("link", name=TITLE)).to_have_count(0)
    reader.context.close()

    # Publish it now instead: bring the time forward, and the button says Publish again.
    _set_publish_time(page, timezone.now() - timedelta(minutes=1))
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Published: readers can see it now.")
    expect(page.get_by_role("button", name="Publish changes")).to_be_visible()
    reader = browser.new_context(base_url=live_server.url).new_page()  # a reader arriving now
    reader.goto("/news/")
    reader.get_by_role("link", name=TITLE).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.get_by_text("Not public")).to_have_count(0)
    expect(reader.get_by_alt_text("Hydrogen storage tanks in a green valley")).to_be_visible()
    reader.context.close()
