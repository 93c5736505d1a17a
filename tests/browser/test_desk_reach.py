"""The publishing actions in reach in Chromium: a bar that stays in view with 44 px targets,
Publish now in one click, a title box that fits 70 characters, and a popup's message shown
beside the field it filled, naming its item."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from ktnsite.demo.files import make_pdf
from news.models import Post
from tests.browser.admin_helpers import click_and_wait_for_close, editor_signs_in
from tests.factories import make_post

SEVENTY = "Hydrogen valleys in the North East win new funding to link up in 2027."


def test_a_scheduled_post_is_published_now_from_the_top_of_its_form(page):
    post = make_post(publish_at=timezone.now() + timedelta(days=1), body="<p>Long.</p>" * 60)
    page.set_viewport_size({"width": 1280, "height": 800})
    editor_signs_in(page, f"/admin/news/post/{post.pk}/change/")
    page.evaluate("window.scrollTo(0, 0)")
    button = page.get_by_role("button", name="Publish now", exact=True)
    expect(button).to_be_in_viewport()  # the action bar stays at the foot of the window
    for name in ("Publish now", "Unpublish", "Preview"):
        box = page.get_by_role("button", name=name).first.bounding_box()
        assert box["height"] >= 44, (name, box)
    button.click()
    expect(page.locator(".messagelist")).to_contain_text("Published: readers can see it now.")
    assert Post.objects.get(pk=post.pk).is_live


def test_the_title_box_fits_a_70_character_title(page):
    assert len(SEVENTY) == 70
    editor_signs_in(page, "/admin/news/post/add/")
    title = page.get_by_label("Title")
    title.fill(SEVENTY)
    fits = title.evaluate("box => box.scrollWidth <= box.clientWidth")
    assert fits, title.evaluate("box => [box.scrollWidth, box.clientWidth]")


def test_a_report_added_in_the_popup_says_so_beside_its_field(page, tmp_path):
    editor_signs_in(page, "/admin/news/post/add/")
    pdf = tmp_path / "hydrogen.pdf"
    pdf.write_bytes(make_pdf([["Hydrogen futures", "Page one."]]))
    with page.expect_popup() as opened:
        page.locator("#add_id_report").click()
    popup = opened.value
    popup.get_by_label("Title").fill("Hydrogen futures")
    popup.get_by_label("Summary").fill("What the valleys found.")
    popup.set_input_files("#id_file", str(pdf))
    click_and_wait_for_close(popup, popup.get_by_role("button", name="Publish", exact=True))
    note = page.locator("#id_report_popup_messages")
    expect(note).to_contain_text("“Hydrogen futures”: Published: readers can see it now.")
    expect(page.locator(".field-report")).to_contain_text("Hydrogen futures")
    # Nothing was left waiting for the editor's next page either.
    other = page.context.new_page()
    other.goto("/admin/news/post/add/")
    expect(other.locator(".messagelist")).to_have_count(0)


def test_tomorrow_at_nine_is_one_click_beside_the_publish_time(page):
    # One click (or Enter on it by keyboard) fills both boxes, in sight, and the publish
    # button then names the time it schedules for.
    editor_signs_in(page, "/admin/news/post/add/")
    tomorrow = timezone.localtime() + timedelta(days=1)
    shortcut = page.get_by_role("button", name="Tomorrow, 09:00")
    shortcut.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_publish_at_0")).to_have_value(f"{tomorrow:%d/%m/%Y}")
    expect(page.locator("#id_publish_at_1")).to_have_value("09:00")
    schedule = page.get_by_role("button", name=f"Schedule for {tomorrow:%d/%m/%Y} 09:00")
    expect(schedule).to_be_visible()
    assert shortcut.bounding_box()["height"] >= 24
