"""Writing aids in Chromium (issue 11.5): "Link to our content" finds a report by title and
links to its stable address; the body counts words and reading time as one types; the
browser's own spellcheck is on in the body."""

from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG, SEED_REPORT_SLUG
from tests.browser.admin_helpers import editor_signs_in


def test_an_internal_link_is_inserted_by_search(page, demo_live):
    from news.models import Post
    from reports.models import Report

    post = Post.objects.get(slug=SEED_POST_SLUG)
    report = Report.objects.get(slug=SEED_REPORT_SLUG)
    editor_signs_in(page, f"/admin/news/post/{post.pk}/change/")
    page.locator("#id_body_writing_aids").wait_for()  # shown once the editor is ready
    body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    assert body.evaluate("element => element.spellcheck") is True
    aids = page.locator("#id_body_writing_aids")
    expect(aids).to_contain_text("words · about 1 minute to read")

    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" See also ")
    page.get_by_role("button", name="Link to our content").click()
    page.get_by_label("Find a post, report, contact or topic by its title").fill("impact rep")
    choice = page.locator(".internallink-choice", has_text="— Report").first
    expect(choice).to_contain_text("Impact Report")
    choice.click()
    html = page.evaluate("CKEDITOR.instances.id_body.getData()")
    assert f'<a href="/go/report/{report.pk}/">{report.title}</a>' in html

    # The stable link leads readers to the report's page.
    page.once("dialog", lambda dialog: dialog.accept())  # leaving the changed form
    page.goto(f"/go/report/{report.pk}/")
    assert page.url.endswith(report.get_absolute_url())


def test_the_word_count_follows_typing(page, demo_live):
    editor_signs_in(page, "/admin/news/post/add/")
    page.locator("#id_body_writing_aids").wait_for()  # shown once the editor is ready
    aids = page.locator("#id_body_writing_aids")
    expect(aids).to_have_text("No words yet.")
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").click()
    page.keyboard.type("Three short words")
    expect(aids).to_have_text("3 words · about 1 minute to read")
    page.evaluate("CKEDITOR.instances.id_body.setData('<p>' + 'word '.repeat(1000) + '</p>')")
    expect(aids).to_have_text("1,000 words · about 5 minutes to read")
