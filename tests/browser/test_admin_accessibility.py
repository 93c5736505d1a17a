"""The editors' admin pages pass an axe-core audit in Chromium, and the post form is calm:
topics as checkboxes, no link that deletes the related report, no change-note section on a
post that was never published."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG
from tests.browser.admin_helpers import editor_signs_in


@pytest.fixture
def editor_page(page, demo_live):
    editor_signs_in(page, "/admin/")
    page.wait_for_url("**/admin/")
    return page


def _admin_urls():
    from news.models import Post
    from reports.models import Report

    post = Post.objects.get(slug=SEED_POST_SLUG)
    report = Report.objects.first()
    return {
        "post list": "/admin/news/post/",
        "add post": "/admin/news/post/add/",
        "change post": f"/admin/news/post/{post.pk}/change/",
        "post history": f"/admin/news/post/{post.pk}/history/",
        "report list": "/admin/reports/report/",
        "add report": "/admin/reports/report/add/",
        "change report": f"/admin/reports/report/{report.pk}/change/",
        # What the hero's "Choose from the library" opens (bench/editor_journey.py).
        "image chooser": "/admin/publishing/image/?_to_field=id&_popup=1",
    }


@pytest.mark.parametrize(
    "name",
    [
        "post list",
        "add post",
        "change post",
        "post history",
        "restore post",
        "report list",
        "add report",
        "change report",
        "image chooser",
    ],
)
def test_admin_page_has_no_axe_violations(editor_page, name):
    url = _admin_urls().get(name)
    if name in ("post history", "restore post"):
        from reversion.models import Version

        from news.models import Post
        from publishing.services import publishable_save

        # A second version, so the list offers its compare buttons.
        post = Post.objects.get(slug=SEED_POST_SLUG)
        publishable_save(item=post, comment="Edited")
        # History → a version of the live post: the page that asks before restoring it.
        version = Version.objects.get_for_object(post).first()
        url = url or f"/admin/news/post/{post.pk}/history/{version.pk}/"
    editor_page.goto(url)
    editor_page.wait_for_load_state("load")
    if name == "restore post":
        expect(
            editor_page.get_by_role("button", name="Restore as unpublished changes")
        ).to_be_visible()
    results = Axe().run(editor_page)
    assert results.violations_count == 0, results.generate_report()


def test_the_login_page_has_no_axe_violations(page, live_server):
    page.goto("/admin/login/?next=/admin/")
    page.wait_for_load_state("load")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_post_form_is_calm(editor_page):
    editor_page.goto("/admin/news/post/add/")
    # Topics are checkboxes, without "Hold down Control".
    expect(editor_page.get_by_role("checkbox", name="Medicines Manufacturing")).to_be_visible()
    expect(editor_page.get_by_text("Hold down")).to_have_count(0)
    # Nothing beside the report picker deletes the report itself.
    expect(editor_page.locator("#delete_id_report")).to_have_count(0)
    # A post never published has no change-note section.
    expect(editor_page.get_by_text("This is a major change")).to_have_count(0)
    editor_page.goto(_admin_urls()["change post"])
    expect(editor_page.get_by_text("This is a major change")).to_be_visible()
