"""Two editors in two real browser sessions on one live post: each sees the other has it open,
and the later save is refused with what was typed kept and a compare of the earlier one."""

from playwright.sync_api import expect

from news.models import Post
from tests.browser.admin_helpers import editor_signs_in
from tests.factories import make_post


def _signed_in(browser, live_server, username, next_url):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    editor_signs_in(page, next_url, username=username)
    return page


def test_two_editors_on_one_post_never_overwrite_each_other(browser, live_server, settings):
    settings.PUBLISHING_PRESENCE_SECONDS = 3  # an open form beats every second
    post = make_post(title="Shared title", body="<p>First paragraph.</p>")
    change = f"/admin/news/post/{post.pk}/change/"
    erin = _signed_in(browser, live_server, "erin", change)
    mine = _signed_in(browser, live_server, "amir", change)
    try:
        # Each sees the other: Amir on opening, Erin at her form's next beat.
        expect(
            mine.get_by_role("status").filter(has_text="erin is editing this post")
        ).to_contain_text("(opened just now)")
        expect(
            erin.get_by_role("status").filter(has_text="amir is editing this post")
        ).to_be_visible()

        # Erin adds a sentence and publishes it.
        erin.get_by_label("Standfirst").fill("Erin's standfirst.")
        erin.get_by_role("button", name="Publish changes").click()
        expect(erin.locator(".messagelist")).to_contain_text("Changes published")

        # Amir, whose form was opened before her save, changes the title and publishes.
        mine.get_by_label("Title").fill("Amir's title")
        mine.get_by_role("button", name="Publish changes").click()
        expect(mine.locator(".errornote, .errorlist").first).to_be_visible()
        expect(mine.get_by_text("Nothing was saved")).to_be_visible()
        expect(mine.get_by_label("Title")).to_have_value("Amir's title")
        compare = mine.get_by_role("region", name="Changed since you opened it")
        expect(compare).to_contain_text("Erin's standfirst.")
        assert Post.objects.get(pk=post.pk).standfirst == "Erin's standfirst."
        assert Post.objects.get(pk=post.pk).title == "Shared title"

        # He merges by hand (takes her standfirst) and publishes again: both changes are live.
        mine.get_by_label("Standfirst").fill("Erin's standfirst.")
        mine.get_by_role("button", name="Publish changes").click()
        expect(mine.locator(".messagelist")).to_contain_text("Changes published")
        stored = Post.objects.get(pk=post.pk)
        assert (stored.title, stored.standfirst) == ("Amir's title", "Erin's standfirst.")
    finally:
        erin.context.close()
        mine.context.close()


def test_a_closed_form_stops_showing_as_open(browser, live_server, settings):
    settings.PUBLISHING_PRESENCE_SECONDS = 3
    post = make_post()
    change = f"/admin/news/post/{post.pk}/change/"
    erin = _signed_in(browser, live_server, "erin", change)
    mine = _signed_in(browser, live_server, "amir", "/admin/news/post/")
    try:
        expect(mine.get_by_text("erin is editing this post")).to_be_visible()
        erin.goto("/admin/")  # she leaves the form: it says goodbye
        mine.reload()
        expect(mine.get_by_text("erin is editing this post")).to_have_count(0)
    finally:
        erin.context.close()
        mine.context.close()
