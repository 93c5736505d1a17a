"""Preview in Chromium: text typed into the form, not saved, shows in a new tab through the
reader's page, with the "Preview" banner; the database still has the old text."""

from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG
from tests.browser.admin_helpers import editor_signs_in


def test_preview_shows_typed_text_that_is_not_saved(page, demo_live):
    from news.models import Post

    post = Post.objects.get(slug=SEED_POST_SLUG)
    editor_signs_in(page, f"/admin/news/post/{post.pk}/change/")

    page.get_by_label("Title").fill("A title typed a moment ago")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.get_by_role("heading", level=1)).to_have_text("A title typed a moment ago")
    expect(preview.get_by_role("status")).to_contain_text("Nothing is saved yet")
    post.refresh_from_db()
    assert post.title != "A title typed a moment ago"
    # The editor is still on the form, their typing intact.
    expect(page.get_by_label("Title")).to_have_value("A title typed a moment ago")
