"""An editor picks a hero from the library and puts a library image into the body, in Chromium."""

from playwright.sync_api import expect

from news.models import Post
from tests.browser.admin_helpers import click_and_wait_for_close, editor_signs_in
from tests.factories import make_image


def _log_in(page):
    editor_signs_in(page, "/admin/news/post/add/")


def test_an_editor_chooses_a_hero_and_inserts_a_body_image_from_the_library(page):
    turbine = make_image(
        title="Turbine", alt="A wind turbine at sea", tags=["energy"], size=(1800, 1000),
        renditions=True,
    )  # fmt: skip
    vials = make_image(title="Vials", alt="Blue vials", tags=["lab"], size=(1200, 800))
    _log_in(page)
    page.get_by_label("Title").fill("Offshore wind")
    page.get_by_label("Standfirst").fill("Turbines at sea.")

    # The hero: searched for in the library popup, picked by its title.
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Choose from the library").click()
    library = opened.value
    expect(library.locator("img.image-thumb")).to_have_count(2)
    library.locator("#searchbar").fill("wind")
    library.locator("#searchbar").press("Enter")
    expect(library.locator("img.image-thumb")).to_have_count(1)
    click_and_wait_for_close(library, library.get_by_role("link", name="Turbine"))
    expect(page.locator(".image-chooser__preview")).to_be_visible()
    expect(page.locator(".image-chooser__title")).to_contain_text("A wind turbine at sea")

    # A body image: the editor's button opens the same library, then asks alt text and width.
    body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    body.click()
    page.keyboard.type("The lab tests blades.")
    with page.expect_popup() as opened:
        page.locator("a.cke_button__libraryimage").click()
    library = opened.value
    library.get_by_role("link", name="lab", exact=True).click()  # the tag filter
    expect(library.locator("img.image-thumb")).to_have_count(1)
    click_and_wait_for_close(library, library.get_by_role("link", name="Vials"))
    dialog = page.locator(".cke_dialog")
    expect(dialog).to_be_visible()
    alt = dialog.locator("input.cke_dialog_ui_input_text")
    expect(alt).to_have_value("Blue vials")
    alt.fill("Blue vials in the blade lab")
    dialog.locator("input[type=radio][value=half]").check()
    dialog.locator("a.cke_dialog_ui_button_ok").click()
    expect(body.locator(f'img[data-image="{vials.pk}"]')).to_be_visible()

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Published")

    post = Post.objects.get()
    assert post.hero_image == turbine
    stored = post.body.split("<img ")[1].split(">")[0]  # attributes in the editor's order
    assert sorted(stored.split('" ')) == sorted(
        ['alt="Blue vials in the blade lab', 'class="half', f'data-image="{vials.pk}"']
    )
    page.goto(post.get_absolute_url())
    expect(page.get_by_alt_text("A wind turbine at sea")).to_be_visible()
    inserted = page.get_by_alt_text("Blue vials in the blade lab")
    expect(inserted).to_be_visible()
    expect(inserted).to_have_attribute("loading", "lazy")
    expect(inserted).to_have_class("body-image body-image--half")


def test_a_chosen_hero_is_still_shown_after_a_form_error(page):
    make_image(title="Turbine", alt="A wind turbine at sea")
    _log_in(page)
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Choose from the library").click()
    click_and_wait_for_close(opened.value, opened.value.get_by_role("link", name="Turbine"))
    page.get_by_role("button", name="Save draft").click()  # no title: refused
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".image-chooser__preview")).to_be_visible()
    expect(page.locator(".image-chooser__title")).to_contain_text("A wind turbine at sea")


def test_clicking_the_preview_sets_the_focal_point(page):
    image = make_image(title="Turbine", size=(1000, 500), renditions=True)
    _log_in(page)
    page.goto(f"/admin/library/image/{image.pk}/change/")
    preview = page.locator("img.image-preview")
    box = preview.bounding_box()
    preview.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.25})
    across = int(page.locator("#id_focal_x").input_value())
    down = int(page.locator("#id_focal_y").input_value())
    assert abs(across - 80) <= 1 and abs(down - 25) <= 1
