"""The editors' admin pages pass an axe-core audit in Chromium, and the post form is calm:
topics as checkboxes, no link that deletes the related report, no change-note section on a
post that was never published."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG
from tests.browser.admin_helpers import editor_signs_in

# The demo's call on the seed article's topic (ktnsite.demo.opportunities).
DEMO_OPPORTUNITY = "medicines-manufacturing-innovation-fund"


@pytest.fixture
def editor_page(page, demo_live):
    editor_signs_in(page, "/admin/")
    page.wait_for_url("**/admin/")
    return page


# What WCAG 2.2 AA asks: axe's default run leaves out target-size (2.5.8) among others.
WCAG22_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    }
}

# Every admin screen an editor can open: lists (with their filters), add and change forms of
# every model they may edit, the image library and its chooser, history, compare, restore,
# recover, the outbox, the enquiries inbox, the staff directory, subscribers, preview links
# and flat pages.
SCREENS = [
    "post list", "add post", "change post", "post history", "compare post versions",
    "restore post", "recover list", "recover post",
    "report list", "add report", "change report",
    "contact list", "add contact", "change contact", "staff directory", "staff profile",
    "topic list", "add topic", "change topic",
    "image list", "image chooser", "add image", "change image", "tag list", "change tag",
    "enquiry list", "enquiry",
    "subscriber list", "subscriber", "delivery list", "delivery", "signup email list",
    "signup email", "topic audiences",
    "preview link list", "preview link",
    "flat page list", "add flat page", "change flat page",
    "redirect list", "add redirect",
    "post change list",
    "opportunity list", "opportunities closing this week", "add opportunity",
    "change opportunity",
]  # fmt: skip


def _admin_urls():
    """One of each thing an editor meets, and the address of every screen in SCREENS."""
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site
    from reversion.models import Version

    from contacts.models import Contact
    from library.models import Tag
    from mailinglist.models import Delivery, EmailKind, SignupEmail
    from news.models import Post, PostChange
    from opportunities.models import Opportunity
    from publishing.services import preview_link_create, publishable_save
    from reports.models import Report
    from tests.factories import make_enquiry, make_image, make_post, make_subscriber
    from topics.models import Topic

    post = Post.objects.get(slug=SEED_POST_SLUG)
    # A second version that differs, so history offers its compare buttons, compare shows
    # words taken out and put in, and restore has one to show.
    post.standfirst += " One more sentence."
    publishable_save(item=post, comment="Edited")
    versions = Version.objects.get_for_object(post).order_by("pk")
    deleted = make_post(title="Deleted by mistake")
    publishable_save(item=deleted, comment="Saved")
    deleted.delete()
    report = Report.objects.first()
    contact = Contact.objects.first()
    topic = Topic.objects.first()
    image = make_image(title="Turbine", alt="A wind turbine at sea", tags=["energy"])
    enquiry = make_enquiry(contact=contact)
    subscriber = make_subscriber(topics=[topic])
    signup = SignupEmail.objects.create(subscriber=subscriber, kind=EmailKind.CONFIRM)
    delivery = Delivery.objects.create(
        subscriber=subscriber,
        content_type=ContentType.objects.get_for_model(Post),
        object_id=post.pk,
    )
    link = preview_link_create(item=post, user=None)
    page = FlatPage.objects.create(url="/about/", title="About us", content="<p>About.</p>")
    page.sites.add(Site.objects.get_current())
    PostChange.objects.create(post=post, changed_at=post.publish_at, note="Corrected a figure.")
    return {
        "post list": "/admin/news/post/",
        "add post": "/admin/news/post/add/",
        "change post": f"/admin/news/post/{post.pk}/change/",
        "post history": f"/admin/news/post/{post.pk}/history/",
        "compare post versions": f"/admin/news/post/{post.pk}/history/compare/"
        f"?version_id1={versions.first().pk}&version_id2={versions.last().pk}",
        # History → a version of the live post: the page that asks before restoring it.
        "restore post": f"/admin/news/post/{post.pk}/history/{versions.first().pk}/",
        "recover list": "/admin/news/post/recover/",
        "recover post": f"/admin/news/post/recover/{Version.objects.get_deleted(Post).get().pk}/",
        "report list": "/admin/reports/report/",
        "add report": "/admin/reports/report/add/",
        "change report": f"/admin/reports/report/{report.pk}/change/",
        "contact list": "/admin/contacts/contact/",
        "add contact": "/admin/contacts/contact/add/",
        "change contact": f"/admin/contacts/contact/{contact.pk}/change/",
        "staff directory": "/admin/contacts/directoryentry/",
        "staff profile": f"/admin/contacts/directoryentry/{contact.pk}/change/",
        "topic list": "/admin/topics/topic/",
        "add topic": "/admin/topics/topic/add/",
        "change topic": f"/admin/topics/topic/{topic.pk}/change/",
        "image list": "/admin/library/image/",
        # What the hero's "Choose from the library" opens (bench/editor_journey.py).
        "image chooser": "/admin/library/image/?_to_field=id&_popup=1",
        "add image": "/admin/library/image/add/",
        "change image": f"/admin/library/image/{image.pk}/change/",
        "tag list": "/admin/library/tag/",
        "change tag": f"/admin/library/tag/{Tag.objects.first().pk}/change/",
        "enquiry list": "/admin/contacts/enquiry/",
        "enquiry": f"/admin/contacts/enquiry/{enquiry.pk}/change/",
        "subscriber list": "/admin/mailinglist/subscriber/",
        "subscriber": f"/admin/mailinglist/subscriber/{subscriber.pk}/change/",
        "delivery list": "/admin/mailinglist/delivery/",
        "delivery": f"/admin/mailinglist/delivery/{delivery.pk}/change/",
        "signup email list": "/admin/mailinglist/signupemail/",
        "signup email": f"/admin/mailinglist/signupemail/{signup.pk}/change/",
        "topic audiences": "/admin/mailinglist/topicaudience/",
        "preview link list": "/admin/publishing/previewlink/",
        "preview link": f"/admin/publishing/previewlink/{link.pk}/change/",
        "flat page list": "/admin/flatpages/flatpage/",
        "add flat page": "/admin/flatpages/flatpage/add/",
        "change flat page": f"/admin/flatpages/flatpage/{page.pk}/change/",
        "redirect list": "/admin/redirects/redirect/",
        "add redirect": "/admin/redirects/redirect/add/",
        "post change list": "/admin/news/postchange/",
        "opportunity list": "/admin/opportunities/opportunity/",
        "opportunities closing this week": "/admin/opportunities/opportunity/?deadline=this-week",
        "add opportunity": "/admin/opportunities/opportunity/add/",
        "change opportunity": "/admin/opportunities/opportunity/"
        f"{Opportunity.objects.get(slug=DEMO_OPPORTUNITY).pk}/change/",
    }


@pytest.mark.parametrize("name", SCREENS, ids=lambda name: name.replace(" ", "-"))
def test_admin_screen_has_no_wcag22_axe_violations(editor_page, name):
    url = _admin_urls()[name]
    response = editor_page.goto(url)
    assert response.status == 200, url
    editor_page.wait_for_load_state("load")
    if name == "restore post":
        expect(
            editor_page.get_by_role("button", name="Restore as unpublished changes")
        ).to_be_visible()
    results = Axe().run(editor_page, options=WCAG22_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_login_page_has_no_axe_violations(page, live_server):
    page.goto("/admin/login/?next=/admin/")
    page.wait_for_load_state("load")
    results = Axe().run(page, options=WCAG22_AA)
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
    from news.models import Post

    editor_page.goto(f"/admin/news/post/{Post.objects.get(slug=SEED_POST_SLUG).pk}/change/")
    expect(editor_page.get_by_text("This is a major change")).to_be_visible()


_RING = """element => {
    const style = getComputedStyle(element);
    return [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor];
}"""


def test_keyboard_focus_is_a_clear_ring_on_every_control(editor_page):
    # Through a list by keyboard: search, filters, actions, rows, links.
    editor_page.goto("/admin/news/post/")
    editor_page.wait_for_load_state("load")
    for _ in range(30):
        editor_page.keyboard.press("Tab")
        style, width, colour = editor_page.evaluate(f"({_RING})(document.activeElement)")
        where = editor_page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
        # 2 px of black (#000) inside a white ring: at least 3:1 on any background.
        assert style == "solid" and width >= 2 and colour == "rgb(0, 0, 0)", where
    # The contacts picker (select2): its box shows the ring, not a 1 px border change.
    editor_page.goto("/admin/news/post/add/")
    editor_page.wait_for_load_state("load")
    editor_page.keyboard.press("Tab")
    editor_page.locator("#id_contacts + .select2 .select2-search__field").focus()
    box = editor_page.locator("#id_contacts + .select2 .select2-selection")
    style, width, colour = box.evaluate(_RING)
    assert style == "solid" and width >= 2 and colour == "rgb(0, 0, 0)"
