"""Never lose work, in Chromium: typed work is autosaved and offered back after a reload, and
leaving a changed form asks first."""

import pytest
from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG
from tests.browser.admin_helpers import editor_signs_in


@pytest.fixture
def post_form(page, demo_live, settings):
    from news.models import Post

    settings.PUBLISHING_AUTOSAVE_SECONDS = 1  # 30 in production
    post = Post.objects.get(slug=SEED_POST_SLUG)
    editor_signs_in(page, f"/admin/news/post/{post.pk}/change/")
    page.get_by_label("Title").wait_for()
    return post


def test_a_reload_after_typing_offers_the_autosaved_text_back(page, post_form):
    body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.type(" A sentence typed just now.")
    # Wait for the autosave that holds the new title: one for the body alone may come first.
    with page.expect_response(
        lambda r: (
            r.url.endswith("/autosave/")
            and r.ok
            and "A title typed before the crash" in (r.request.post_data or "")
        )
    ):
        page.get_by_label("Title").fill("A title typed before the crash")
    page.once("dialog", lambda dialog: dialog.accept())  # the leave-page question
    page.reload()
    expect(page.get_by_text("You have unsaved changes to this from")).to_be_visible()
    expect(page.get_by_label("Title")).not_to_have_value("A title typed before the crash")
    page.get_by_role("button", name="Restore my unsaved changes").click()
    expect(page.get_by_label("Title")).to_have_value("A title typed before the crash")
    expect(body).to_contain_text("A sentence typed just now.")
    post_form.refresh_from_db()
    assert post_form.title != "A title typed before the crash"  # kept aside, not saved


def test_leaving_a_changed_form_asks_first(page, post_form):
    page.get_by_label("Title").fill("Changed")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay

    page.on("dialog", answer)
    page.get_by_role("link", name="History").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    expect(page.get_by_label("Title")).to_have_value("Changed")
