"""The editor's desk in Chromium: the checks before publishing follow the editor's typing
(issue 11.6), and a library picture chosen in a form that fails is kept (issue 11.4)."""

from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG
from tests.browser.admin_helpers import editor_signs_in
from tests.factories import make_image_bytes


def test_the_checks_panel_is_quiet_on_the_seed_article_and_follows_typing(page, demo_live):
    from news.models import Post

    post = Post.objects.get(slug=SEED_POST_SLUG)
    editor_signs_in(page, f"/admin/news/post/{post.pk}/change/")
    panel = page.get_by_role("region", name="Checks before publishing")
    expect(panel).to_contain_text("No problems found.")
    page.locator("#id_body_writing_aids").wait_for()  # the editor is ready
    page.evaluate(
        "CKEDITOR.instances.id_body.setData("
        "'<h2>Plan</h2><h4>Detail</h4><p><a href=\"https://example.org\">click here</a></p>')"
    )
    page.get_by_label("Standfirst").fill("")
    expect(panel).to_contain_text("3 things to check. You may still publish.")
    expect(panel.get_by_role("listitem")).to_have_text(
        [
            "Standfirst: There is no standfirst: lists, search results and share cards show it "
            "under the title. Write one or two sentences that say what the post is about.",
            "Body, 2nd heading “Detail”: It is Heading 4 straight after Heading 2: Heading 3 "
            "is skipped, so the outline readers navigate by has a gap. Make it Heading 3 in "
            "the Format menu (or add the missing level above it).",
            "Body, 1st link “click here”: The link text does not say where it leads "
            "(screen-reader users hear a list of links on their own). Select the link's words "
            "and type what it leads to, e.g. “Read the impact report” or “the funding "
            "competition's rules”.",
        ]
    )


def test_a_chosen_picture_survives_a_missing_alt_text(page, live_server):
    from library.models import Image

    editor_signs_in(page, "/admin/library/image/add/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "lab.jpg", "mimeType": "image/jpeg", "buffer": make_image_bytes()}],
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Describe the image, or tick")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Kept: lab.jpg")).to_be_visible()
    page.get_by_label("Alt text").fill("A laboratory bench")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    image = Image.objects.get()
    assert image.alt == "A laboratory bench" and image.width == 1200
