"""An axe-core audit in Chromium finds no violations on the main public pages, each checked
first to be the page meant: its status and its one top-level heading."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from ktnsite.demo.content import LONG_WORD_POST_SLUG, SEED_POST_SLUG, WIDE_TABLE_POST_SLUG

SEED_POST_TITLE = "KTN and UKRI Release Medicines Manufacturing Impact Report"


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/", 200, "Innovate UK Business Connect"),
        ("/news/", 200, "News"),
        (f"/news/{SEED_POST_SLUG}/", 200, SEED_POST_TITLE),
        (
            "/reports/medicines-manufacturing-challenge-impact-report/",
            200,
            "Medicines Manufacturing Challenge: Impact Report",
        ),
        ("/reports/", 200, "Reports"),
        ("/reports/?year=1999", 400, "Reports"),  # a filter that makes no sense: a message
        ("/contacts/karen-wilkinson/", 200, "Karen Wilkinson"),
        ("/contacts/", 200, "Contacts"),
        ("/contacts/karen-wilkinson/thanks/", 200, "Thank you: your message has been received"),
        ("/topics/medicines-manufacturing/", 200, "Medicines Manufacturing"),
        ("/news/no-such-page/", 404, "Page not found"),
        (
            "/news/?topic=medicines-manufacturing&year=2021",
            200,
            "Medicines Manufacturing news from 2021",
        ),
        ("/news/archive/2021/", 200, "News from 2021"),
        ("/search/?q=manufacture", 200, "Search"),
        ("/search/?q=nothing-matches-this", 200, "Search"),
        # The footer's site pages, the phone-breaking demo posts, a topic sign-up.
        ("/privacy/", 200, "Privacy notice"),
        ("/accessibility/", 200, "Accessibility statement for Innovate UK Business Connect"),
        ("/cookies/", 200, "Cookies"),
        ("/contact/", 200, "Contact us"),
        (f"/news/{LONG_WORD_POST_SLUG}/", 200, "Naming the molecules of continuous manufacturing"),
        (f"/news/{WIDE_TABLE_POST_SLUG}/", 200, "Funding awarded by region and year"),
        ("/mailing-list/?topic=net-zero", 200, "Get emails about Net Zero"),
        # Funding opportunities: the finder, filtered, with an error, closed; each state's page.
        ("/opportunities/", 200, "Funding opportunities"),
        (
            "/opportunities/?topic=net-zero&who=sme",
            200,
            "Funding opportunities: Net Zero",
        ),
        ("/opportunities/?who=aliens", 400, "Funding opportunities"),
        ("/opportunities/?state=closed", 200, "Closed funding opportunities"),
        (
            "/opportunities/medicines-manufacturing-innovation-fund/",
            200,
            "Medicines manufacturing innovation fund",
        ),
        ("/opportunities/net-zero-heat-pump-prize/", 200, "Net zero heat pump prize"),
        ("/opportunities/vertical-farming-scale-up-loans/", 200, "Vertical farming scale-up loans"),
        ("/opportunities/space-data-for-agriculture/", 200, "Space data for agriculture"),
    ],
)
def test_page_has_no_axe_violations(page, demo_live, path, status, heading):
    # An audit of the wrong page (an error page, a redirect elsewhere) would prove nothing.
    response = page.goto(path)
    assert response.status == status
    assert page.locator("h1").all_inner_texts() == [heading]
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_moved_on_profile_has_no_axe_violations(page, demo_live):
    from contacts.models import Contact

    Contact.objects.filter(slug="amir-haddad").update(is_active=False)
    response = page.goto("/contacts/amir-haddad/")
    assert response.status == 410  # gone for good, and the page says who to ask instead
    assert page.locator("h1").all_inner_texts() == ["Amir Haddad"]
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
