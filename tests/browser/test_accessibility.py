"""An axe-core audit in Chromium finds no violations on the main public pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from ktnsite.demo.content import LONG_WORD_POST_SLUG, SEED_POST_SLUG, WIDE_TABLE_POST_SLUG


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/news/",
        f"/news/{SEED_POST_SLUG}/",
        "/reports/medicines-manufacturing-challenge-impact-report/",
        "/reports/",
        "/reports/?year=1999",
        "/contacts/karen-wilkinson/",
        "/contacts/",
        "/contacts/karen-wilkinson/thanks/",
        "/topics/medicines-manufacturing/",
        "/news/no-such-page/",
        "/news/?topic=medicines-manufacturing&year=2021",
        "/news/archive/2021/",
        "/search/?q=manufacture",
        "/search/?q=nothing-matches-this",
        # Issue 15: the footer's site pages, the phone-breaking demo posts, a topic sign-up.
        "/privacy/",
        "/accessibility/",
        "/cookies/",
        "/contact/",
        f"/news/{LONG_WORD_POST_SLUG}/",
        f"/news/{WIDE_TABLE_POST_SLUG}/",
        "/mailing-list/?topic=net-zero",
    ],
)
def test_page_has_no_axe_violations(page, demo_live, path):
    page.goto(path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_moved_on_profile_has_no_axe_violations(page, demo_live):
    from contacts.models import Contact

    Contact.objects.filter(slug="amir-haddad").update(is_active=False)
    page.goto("/contacts/amir-haddad/")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_enquiry_form_with_errors_has_no_axe_violations(page, demo_live):
    page.goto("/contacts/karen-wilkinson/")
    page.get_by_role("button", name="Send message").click()
    page.get_by_role("alert").wait_for()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize(
    "route", ["signup", "check-email", "signup-errors", "confirm", "preferences", "unsubscribe"]
)
def test_mailing_list_pages_have_no_axe_violations(page, demo_live, route):
    from mailinglist.tokens import CONFIRM, PREFERENCES, UNSUBSCRIBE, token_url
    from tests.factories import make_subscriber

    subscriber = make_subscriber(email="axe@example.org")
    if route == "signup":
        page.goto("/mailing-list/")
    elif route == "check-email":
        page.goto("/mailing-list/check-your-email/")
    elif route == "signup-errors":
        page.goto("/mailing-list/")
        page.locator("main").get_by_role("button", name="Join the mailing list").click()
        page.get_by_role("alert").first.wait_for()
    else:
        purpose = {"confirm": CONFIRM, "preferences": PREFERENCES}.get(route, UNSUBSCRIBE)
        page.goto(token_url(subscriber, purpose, absolute=False))
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_preview_link_page_has_no_axe_violations(page, demo_live):
    from datetime import timedelta

    from django.utils import timezone

    from news.models import Post
    from publishing.models import PreviewLink, Status

    post = Post.objects.get(slug=SEED_POST_SLUG)
    post.status = Status.DRAFT
    post.save()
    link = PreviewLink.objects.create(item=post, expires_at=timezone.now() + timedelta(days=7))
    page.goto(link.get_absolute_url())
    assert page.get_by_role("status").inner_text().startswith("Not public")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
