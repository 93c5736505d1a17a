"""The desk looks like what it does, in Chromium: "Link to our content" is a visible toolbar
button, and the checks still found after publishing look like a warning, not an approval
(issue 24.4 and 24.5)."""

from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG
from tests.browser.admin_helpers import editor_signs_in


def _open_seed_post(page):
    from news.models import Post

    post = Post.objects.get(slug=SEED_POST_SLUG)
    editor_signs_in(page, f"/admin/news/post/{post.pk}/change/")
    page.locator("#id_body_writing_aids").wait_for()  # the editor is ready
    return post


def test_the_link_to_our_content_button_shows_its_words(page, demo_live):
    _open_seed_post(page)
    button = page.get_by_role("button", name="Link to our content")
    label = button.locator(".cke_button__internallink_label")
    # CKEditor's skin hides button labels and loads after the desk's stylesheet.
    expect(label).to_be_visible()
    expect(label).to_have_text("Link to our content")
    assert button.bounding_box()["width"] > 100  # the words, not a blank 28 px square


def test_checks_found_after_publishing_look_like_a_warning(page, demo_live):
    _open_seed_post(page)
    page.evaluate(
        "CKEDITOR.instances.id_body.setData("
        "'<p>Read <a href=\"https://example.org\">click here</a>.</p>')"
    )
    page.get_by_role("button", name="Publish changes").click()
    warning = page.locator(".messagelist > li", has_text="1 thing to check")
    expect(warning).to_have_class("warning")
    assert "icon-alert" in warning.evaluate("li => getComputedStyle(li).backgroundImage")
    finding = warning.locator("li", has_text="click here")
    expect(finding).to_be_visible()
    looks = finding.evaluate(
        "li => [getComputedStyle(li).backgroundImage, getComputedStyle(li).backgroundColor]"
    )
    # Django's admin gives every li under .messagelist the success tick and green.
    success_bg = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--message-success-bg')"
    ).strip()
    assert looks[0] == "none"
    assert looks[1] in ("rgba(0, 0, 0, 0)", "transparent"), (looks, success_bg)
    # Nothing about the findings is shown as a success message.
    expect(page.locator(".messagelist > li.success", has_text="click here")).to_have_count(0)
