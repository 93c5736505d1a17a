"""Every choice is work, in Chromium (issue 24.2): a choice made only in a picker (hero from
the library, report, contacts, topics, a date shortcut) asks before leaving and is autosaved,
and restoring brings every picker back as it was, with its name and thumbnail."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.admin_helpers import click_and_wait_for_close, editor_signs_in
from tests.factories import (
    add_hero_image,
    make_contact,
    make_image,
    make_post,
    make_report,
    make_topic,
)


@pytest.fixture
def fast_autosave(settings):
    settings.PUBLISHING_AUTOSAVE_SECONDS = 1  # 30 in production


def _choose_hero(page, title):
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Choose from the library").click()
    library = opened.value
    click_and_wait_for_close(library, library.get_by_role("link", name=title))


def _pick(page, field, words, choice):
    """Type into an autocomplete picker (select2) and choose a result."""
    page.locator(f"#id_{field} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(words)
    page.locator(".select2-results__option", has_text=choice).click()


def _asks_before_leaving(page):
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay

    page.on("dialog", answer)
    page.get_by_role("link", name="Home").first.click()
    page.wait_for_timeout(500)
    page.remove_listener("dialog", answer)
    return asked == ["beforeunload"]


def _autosave_holding(page, *pairs):
    """Wait for the autosave whose posted form holds every name=value in `pairs`."""
    return page.expect_response(
        lambda r: (
            r.url.endswith("/autosave/")
            and r.ok
            and all(f'name="{n}"\r\n\r\n{v}\r\n' in (r.request.post_data or "") for n, v in pairs)
        )
    )


def test_a_hero_chosen_in_the_library_alone_asks_before_leaving_and_is_autosaved(
    page, fast_autosave
):
    image = make_image(title="Turbine", alt="A wind turbine at sea")
    editor_signs_in(page, "/admin/news/post/add/")
    with _autosave_holding(page, ("hero_image", image.pk)):
        _choose_hero(page, "Turbine")
    assert _asks_before_leaving(page)


def test_a_recent_image_is_the_hero_in_one_click_and_comes_back_on_restore(page, fast_autosave):
    turbine = make_image(title="Turbine", alt="A wind turbine at sea")
    vials = make_image(title="Vials", alt="Blue vials in a rack")
    editor_signs_in(page, "/admin/news/post/add/")
    page.get_by_label("Title").fill("Offshore wind")
    recent = page.get_by_role("group", name="Recent images:")
    # Newest first, each a button named as the chooser names a chosen image.
    expect(recent.get_by_role("button")).to_have_count(2)
    expect(recent.get_by_role("button").first).to_have_accessible_name(
        "Vials: “Blue vials in a rack”"
    )
    box = recent.get_by_role("button").first.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # WCAG 2.2's target size, and more

    recent.get_by_role("button", name="Vials: “Blue vials in a rack”").click()
    expect(page.locator(".image-chooser__title")).to_have_text("Vials: “Blue vials in a rack”")
    vials.refresh_from_db()  # its renditions, made since (the live server runs the task)
    expect(page.locator(".image-chooser__preview")).to_have_attribute("src", vials.thumbnail_url())
    # By keyboard too: the other one, and that is what is autosaved.
    with _autosave_holding(page, ("title", "Offshore wind"), ("hero_image", turbine.pk)):
        recent.get_by_role("button", name="Turbine: “A wind turbine at sea”").focus()
        page.keyboard.press("Enter")
    expect(page.locator(".image-chooser__title")).to_have_text("Turbine: “A wind turbine at sea”")
    assert _asks_before_leaving(page)

    page.once("dialog", lambda dialog: dialog.accept())  # the leave-page question
    page.reload()
    expect(page.locator(".image-chooser__title")).to_have_text("No image chosen.")
    page.get_by_role("button", name="Restore my unsaved changes").click()
    expect(page.locator(".image-chooser__title")).to_have_text("Turbine: “A wind turbine at sea”")
    turbine.refresh_from_db()
    expect(page.locator(".image-chooser__preview")).to_have_attribute(
        "src", turbine.thumbnail_url()
    )
    # ...and it is what the form would save.
    expect(page.locator("#id_hero_image")).to_have_value(str(turbine.pk))
    expect(page.get_by_label("Title")).to_have_value("Offshore wind")


def test_removing_the_hero_asks_before_leaving(page, fast_autosave):
    post = make_post(title="Offshore wind")
    add_hero_image(post, alt="A wind turbine at sea")
    editor_signs_in(page, f"/admin/news/post/{post.pk}/change/")
    expect(page.locator(".image-chooser__title")).to_contain_text("A wind turbine at sea")
    with _autosave_holding(page, ("hero_image", "")):
        page.get_by_role("button", name="Remove", exact=True).click()
    expect(page.locator(".image-chooser__title")).to_have_text("No image chosen.")
    assert _asks_before_leaving(page)


def test_a_date_shortcut_alone_asks_before_leaving(page, fast_autosave):
    editor_signs_in(page, "/admin/news/post/add/")
    today = timezone.localdate().strftime("%d/%m/%Y")
    with _autosave_holding(page, ("publish_at_0", today)):
        page.locator("#id_publish_at_0 ~ .datetimeshortcuts").get_by_text("Today").click()
    assert _asks_before_leaving(page)


def test_every_picker_comes_back_on_restore_with_its_name_and_thumbnail(page, fast_autosave):
    image = make_image(title="Turbine", alt="A wind turbine at sea")
    report = make_report(title="Offshore Wind Impact Report")
    contact = make_contact(name="Erin Walsh")
    editor_signs_in(page, "/admin/news/post/add/")
    page.get_by_label("Title").fill("Offshore wind")
    page.get_by_label("Standfirst").fill("Turbines at sea.")
    page.locator("#id_body_writing_aids").wait_for()  # the editor is ready
    page.evaluate("CKEDITOR.instances.id_body.setData('<p>Blades are tested.</p>')")
    _choose_hero(page, "Turbine")
    _pick(page, "report", "offshore", "Offshore Wind Impact Report")
    expect(page.locator("#id_report + .select2")).to_contain_text("Offshore Wind Impact Report")
    with _autosave_holding(
        page,
        ("title", "Offshore wind"),
        ("hero_image", image.pk),
        ("report", report.pk),
        ("contacts", contact.pk),
    ):
        _pick(page, "contacts", "erin", "Erin Walsh")

    page.once("dialog", lambda dialog: dialog.accept())  # the leave-page question
    page.reload()
    page.get_by_role("button", name="Restore my unsaved changes").click()

    expect(page.get_by_label("Title")).to_have_value("Offshore wind")
    # The hero box shows the restored image, not "No image chosen".
    expect(page.locator(".image-chooser__title")).to_contain_text("A wind turbine at sea")
    expect(page.locator(".image-chooser__preview")).to_be_visible()
    assert "/media/" in page.locator(".image-chooser__preview").get_attribute("src")
    # The report and the contact, which the page had no option for, are back by name.
    expect(page.locator("#id_report")).to_have_value(str(report.pk))
    expect(page.locator("#id_report + .select2")).to_contain_text("Offshore Wind Impact Report")
    expect(page.locator("#id_contacts + .select2")).to_contain_text("Erin Walsh")
    # ...and saving keeps them.
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("Draft saved")
    from news.models import Post

    post = Post.objects.get(title="Offshore wind")
    assert post.hero_image_id == image.pk and post.report_id == report.pk
    assert list(post.contacts.all()) == [contact]


def test_choosing_the_report_ticks_its_topics_when_none_is_ticked(page):
    report = make_report(title="Hydrogen futures")
    topic = make_topic(name="Net Zero")
    report.topics.set([topic])
    editor_signs_in(page, "/admin/news/post/add/")
    _pick(page, "report", "hydrogen", "Hydrogen futures")
    expect(page.get_by_role("checkbox", name=topic.name)).to_be_checked()
    expect(page.locator("#topics-from-report")).to_have_text(
        f"Ticked the report's topics: {topic.name}. Untick any that do not fit."
    )


def test_choosing_the_report_leaves_topics_already_ticked_as_they_are(page):
    first, second = make_topic(name="Net Zero"), make_topic(name="Space")
    make_report(title="Hydrogen futures").topics.set([first])
    editor_signs_in(page, "/admin/news/post/add/")
    page.get_by_role("checkbox", name=second.name).check()
    _pick(page, "report", "hydrogen", "Hydrogen futures")
    page.wait_for_timeout(500)  # the report's topics would have been asked for by now
    expect(page.get_by_role("checkbox", name=first.name)).not_to_be_checked()
    expect(page.get_by_role("checkbox", name=second.name)).to_be_checked()
