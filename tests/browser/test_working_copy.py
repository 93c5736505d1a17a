"""In Chromium: an edit to a live post is a draft until Publish changes (issue 11.2). A reader
in another browser context keeps seeing the live text while the editor's preview shows the
change; after Publish changes the reader sees it."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG
from tests.browser.admin_helpers import editor_signs_in

NEW_STANDFIRST = "A standfirst rewritten this morning, not published yet."


def test_changes_to_a_live_post_reach_readers_only_when_published(
    page, browser, live_server, demo_live
):
    from news.models import Post

    post = Post.objects.get(slug=SEED_POST_SLUG)
    live_standfirst = post.standfirst
    editor_signs_in(page, f"/admin/news/post/{post.pk}/change/")

    page.get_by_label("Standfirst").fill(NEW_STANDFIRST)
    page.get_by_role("button", name="Save changes as draft").click()
    expect(page.get_by_text("Changes saved as a draft")).to_be_visible()
    expect(page.get_by_text("You are editing unpublished changes saved by eve")).to_be_visible()
    expect(page.get_by_label("Standfirst")).to_have_value(NEW_STANDFIRST)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    # A reader, in a browser context of their own (no editor's session).
    reader_context = browser.new_context(base_url=live_server.url)
    reader = reader_context.new_page()
    reader.goto(post.get_absolute_url())
    expect(reader.locator(".article__standfirst")).to_have_text(live_standfirst)

    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".article__standfirst")).to_have_text(NEW_STANDFIRST)
    preview.close()

    page.get_by_role("button", name="Publish changes").click()
    expect(page.get_by_text("Changes published: readers can see them now.")).to_be_visible()
    expect(page.get_by_text("You are editing unpublished changes")).to_have_count(0)
    reader.reload()
    expect(reader.locator(".article__standfirst")).to_have_text(NEW_STANDFIRST)
    reader_context.close()
