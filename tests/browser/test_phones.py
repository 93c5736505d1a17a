"""On a 360 x 740 phone in Chromium: no page scrolls sideways, wide tables scroll in their own box, tap targets are 24 px or more (issue 15)."""

import pytest
from playwright.sync_api import expect

from ktnsite.demo.content import (
    LONG_WORD_POST_SLUG,
    SEED_POST_SLUG,
    SEED_REPORT_SLUG,
    WIDE_TABLE_POST_SLUG,
)
from mailinglist.tokens import PREFERENCES, UNSUBSCRIBE, token_url
from tests.factories import make_subscriber

PHONE = {"width": 360, "height": 740}

# One of every public page type, and the two demo posts written to break a narrow screen.
PAGE_TYPES = [
    "/",
    "/news/",
    "/news/?page=last",
    "/news/archive/2021/",
    f"/news/{SEED_POST_SLUG}/",
    f"/news/{LONG_WORD_POST_SLUG}/",
    f"/news/{WIDE_TABLE_POST_SLUG}/",
    "/reports/",
    f"/reports/{SEED_REPORT_SLUG}/",
    "/contacts/",
    "/contacts/karen-wilkinson/",
    "/topics/medicines-manufacturing/",
    "/search/?q=manufacturing",
    "/mailing-list/",
    "/mailing-list/?topic=net-zero",
    "/privacy/",
    "/accessibility/",
    "/cookies/",
    "/contact/",
    "/news/no-such-page/",
    "/opportunities/",
    "/opportunities/?state=closed",
    "/opportunities/medicines-manufacturing-innovation-fund/",
    "/opportunities/space-data-for-agriculture/",
]


def _token_page(purpose):
    def path():
        return token_url(make_subscriber(), purpose, absolute=False)

    return path


def _gone_lead():
    from contacts.models import Contact

    Contact.objects.filter(slug="amir-haddad").update(is_active=False)
    return "/contacts/amir-haddad/"


def _expired_post():
    from django.utils import timezone

    from news.models import Post

    post = Post.objects.live().exclude(slug=SEED_POST_SLUG).first()
    Post.objects.filter(pk=post.pk).update(expire_at=timezone.now())
    return post.get_absolute_url()


def _send_empty(button):
    def act(page):
        page.get_by_role("button", name=button).first.click()
        expect(page.locator(".error-summary")).to_be_focused()

    return act


# The pages a reader reaches along the way: answers to forms, emailed links, gone pages.
FLOW_PAGES = {
    "enquiry with errors": ("/contacts/karen-wilkinson/", _send_empty("Send message")),
    "enquiry thanks": ("/contacts/karen-wilkinson/thanks/", None),
    "sign-up with errors": ("/mailing-list/", _send_empty("Join the mailing list")),
    "check your email": ("/mailing-list/check-your-email/", None),
    "preferences": (_token_page(PREFERENCES), None),
    "unsubscribe": (_token_page(UNSUBSCRIBE), None),
    "broken emailed link": ("/mailing-list/confirm/?token=nonsense", None),
    "lead who moved on (410)": (_gone_lead, None),
    "expired post (410)": (_expired_post, None),
}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_page_scrolls_sideways_on_a_phone(phone, demo_live, path):
    phone.goto(path)
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0


@pytest.mark.parametrize("name", FLOW_PAGES)
def test_no_page_along_a_readers_way_scrolls_sideways_on_a_phone(phone, demo_live, name):
    path, act = FLOW_PAGES[name]
    phone.goto(path() if callable(path) else path)
    if act:
        act(phone)
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0


def test_a_long_word_wraps_instead_of_widening_the_page(phone, demo_live):
    phone.goto(f"/news/{LONG_WORD_POST_SLUG}/")
    standfirst = phone.locator(".article__standfirst")
    expect(standfirst).to_contain_text("methylenedioxymethamphetamine")
    # Its text stays inside the paragraph's box (an unbroken word would stick out of it).
    assert standfirst.evaluate("el => el.scrollWidth <= el.clientWidth")
    body = phone.locator(".article__body")
    assert body.evaluate("el => el.scrollWidth <= el.clientWidth")


def test_a_wide_table_scrolls_inside_its_own_box(phone, demo_live):
    phone.goto(f"/news/{WIDE_TABLE_POST_SLUG}/")
    box = phone.get_by_role("region", name="Table")
    expect(box.get_by_role("table")).to_be_visible()
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # the table is wider...
    assert (
        phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    )  # ...the page is not
    # Keyboard users can reach the box to scroll it.
    assert box.get_attribute("tabindex") == "0"
    box.focus()
    phone.keyboard.press("ArrowRight")
    for _ in range(20):  # the keyboard scroll may be smooth: give it a moment
        if box.evaluate("el => el.scrollLeft") > 0:
            break
        phone.wait_for_timeout(50)
    assert box.evaluate("el => el.scrollLeft") > 0


@pytest.mark.parametrize("path", ["/news/", "/news/?page=last", "/search/?q=the"])
def test_header_and_pagination_links_are_at_least_24_px(phone, demo_live, path):
    phone.goto(path)
    links = phone.locator(".site-header a, .pagination a")
    assert links.count() >= 6
    for box in (link.bounding_box() for link in links.all()):
        assert box["height"] >= 24 and box["width"] >= 24, box


def test_links_standing_alone_checkboxes_and_share_links_are_at_least_24_px(phone, demo_live):
    phone.goto(f"/news/{SEED_POST_SLUG}/")
    phone.get_by_role("button", name="Share this article").click()
    controls = phone.locator(
        ".breadcrumbs a, .article__body a, .related a, .site-footer a, "
        ".share__links a, .ml-form input[type=checkbox]"
    )
    assert controls.count() >= 15
    for control in controls.all():
        box = control.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, (control.inner_text(), box)
