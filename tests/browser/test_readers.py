"""What GOV.UK's publication pages give readers, in Chromium: the attachment card, topic emails, footer pages and orientation (issue 15)."""

import json
import re

from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG, SEED_REPORT_SLUG
from mailinglist.models import State, Subscriber
from tests.browser.reader_helpers import send_an_enquiry

ARTICLE = f"/news/{SEED_POST_SLUG}/"
REPORT = f"/reports/{SEED_REPORT_SLUG}/"


def test_the_article_shows_the_report_as_an_attachment_card(page, demo_live):
    page.goto(ARTICLE)
    card = page.get_by_role("region", name="Medicines Manufacturing Challenge: Impact Report")
    expect(card).to_contain_text(re.compile(r"PDF, [\d.]+\s(bytes|KB|MB), 4 pages"))
    expect(card.get_by_role("link", name=re.compile("^Download the report"))).to_have_attribute(
        "href", f"{REPORT}download/"
    )
    # "Request an accessible format" names the report's own contact and leads to her page.
    expect(card).to_contain_text(
        re.compile(r"Request an accessible format .* from Karen Wilkinson")
    )
    card.get_by_role("link", name=re.compile("^Request an accessible format")).click()
    expect(page).to_have_url(re.compile(r"/contacts/karen-wilkinson/$"))
    expect(page.get_by_role("heading", name="Send Karen Wilkinson a message")).to_be_visible()


def test_the_articles_mailing_list_block_has_its_topics_ticked(page, demo_live):
    page.goto(ARTICLE)
    block = page.get_by_role("region", name="Connect with Innovate UK Business Connect")
    expect(block.get_by_label("Medicines Manufacturing")).to_be_checked()
    for other in ["Net Zero", "Agri-food", "Digital and AI", "Space"]:
        expect(block.get_by_label(other)).not_to_be_checked()


def _confirmation_path(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    address = re.search(r"https?://\S+/mailing-list/confirm/\?token=\S+", text)[0]
    return address[address.index("/mailing-list/") :]


def test_get_emails_about_a_topic_signs_up_for_that_topic(page, demo_live, smtp_server):
    page.goto("/topics/net-zero/")
    page.get_by_role("link", name="Get emails about Net Zero").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get emails about Net Zero")
    form = page.locator("main form")
    expect(form.get_by_label("Net Zero")).to_be_checked()
    expect(form.get_by_label("Space")).not_to_be_checked()
    form.get_by_label("Email address").fill("hub-reader@example.org")
    form.get_by_label("I agree to").check()
    form.get_by_role("button", name="Join the mailing list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    # The same double opt-in: nothing is confirmed until the emailed link is followed.
    subscriber = Subscriber.objects.get(email="hub-reader@example.org")
    assert subscriber.state == State.PENDING
    assert [m["To"] for m in smtp_server.messages] == ["hub-reader@example.org"]
    page.goto(_confirmation_path(smtp_server.messages[0]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your subscription")
    subscriber.refresh_from_db()
    assert subscriber.state == State.PENDING  # following the link alone changes nothing
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mailing list preferences")
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED
    assert [t.slug for t in subscriber.topics.all()] == ["net-zero"]


def test_the_footer_leads_to_the_site_pages(page, demo_live):
    for name, heading in [
        ("Privacy notice", "Privacy notice"),
        ("Accessibility statement", "Accessibility statement for Innovate UK Business Connect"),
        ("Cookies", "Cookies"),
        ("Contact us", "Contact us"),
    ]:
        page.goto("/")
        page.get_by_role("contentinfo").get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_the_accessibility_statement_follows_the_gov_uk_model(page, demo_live):
    page.goto("/accessibility/")
    headings = page.locator("main h2, main h3").all_inner_texts()
    assert headings == [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Disproportionate burden",
        "Content that's not within the scope of the accessibility regulations",
        "What we're doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]


def test_the_privacy_notice_says_what_is_kept_why_how_long_and_how_to_erase(page, demo_live):
    page.goto("/privacy/")
    main = page.get_by_role("main")
    for words in ["email address", "consent", "days", "unsubscribe", "erased"]:
        expect(main).to_contain_text(words)


def test_the_site_has_a_favicon(page, demo_live):
    page.goto("/")
    href = page.locator("link[rel=icon]").first.get_attribute("href")
    assert page.request.get(href).body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    response = page.request.get("/favicon.ico")  # where browsers look without the link
    assert response.ok and response.body()[:4] == b"\x00\x00\x01\x00"


def _breadcrumb_json_ld(page):
    for text in page.locator("script[type='application/ld+json']").all_text_contents():
        data = json.loads(text)
        if data.get("@type") == "BreadcrumbList":
            return data
    raise AssertionError("no BreadcrumbList on the page")


def test_breadcrumbs_on_articles_reports_contacts_and_topic_hubs(page, demo_live):
    for path, trail in [
        (ARTICLE, ["Home", "News"]),
        (REPORT, ["Home", "Reports"]),
        ("/contacts/karen-wilkinson/", ["Home", "Contacts"]),
        ("/topics/net-zero/", ["Home"]),
    ]:
        page.goto(path)
        nav = page.get_by_role("navigation", name="Breadcrumb")
        expect(nav.get_by_role("link")).to_have_text(trail)
        title = page.get_by_role("heading", level=1).inner_text()
        items = _breadcrumb_json_ld(page)["itemListElement"]
        assert [item["name"] for item in items] == [*trail, title]
        assert items[-1]["item"].endswith(path)
        # Following the last link climbs one level.
        nav.get_by_role("link").last.click()
        expect(page.get_by_role("heading", level=1)).not_to_have_text(title)


def test_related_lists_up_to_three_newest_posts_on_the_same_topics(page, demo_live):
    page.goto(ARTICLE)
    related = page.get_by_role("region", name="Related")
    expect(related.get_by_role("link")).to_have_text(
        [
            "Naming the molecules of continuous manufacturing",
            "Continuous manufacturing pilot line opens in Scotland",
            "Funding for cell and gene therapy scale-up",
        ]
    )


def test_see_all_updates_leads_to_the_change_history(page, demo_live):
    from news.models import Post
    from news.services import post_mark_major_change

    post = Post.objects.get(slug=SEED_POST_SLUG)
    post_mark_major_change(post=post, note="Added the report's page count.")
    post.save()
    page.goto(ARTICLE)
    expect(page.get_by_text("Last updated:")).to_contain_text("Added the report's page count.")
    page.get_by_role("link", name="See all updates").click()
    history = page.get_by_role("region", name="Updates to this page")
    expect(history).to_be_in_viewport()
    expect(history.get_by_role("listitem")).to_have_text(
        [re.compile("Added the report's page count."), re.compile("14/10/2021: First published.")]
    )


def test_the_cookies_page_is_true_a_reader_is_left_with_no_cookie(page, demo_live, smtp_server):
    # The page says readers get no cookie, bar a brief "messages" one after confirming.
    page.goto("/cookies/")
    expect(page.get_by_role("main")).to_contain_text("set no cookie at all")

    def cookies():
        return sorted(cookie["name"] for cookie in page.context.cookies())

    for path in ["/", ARTICLE, REPORT, "/search/?q=manufacturing", "/topics/space/"]:
        page.goto(path)
    assert cookies() == []

    page.goto("/contacts/karen-wilkinson/")
    send_an_enquiry(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("your message has been received")
    assert cookies() == []

    page.goto("/mailing-list/?topic=space")
    page.locator("main form").get_by_label("Email address").fill("cookie-free@example.org")
    page.locator("main form").get_by_label("I agree to").check()
    page.get_by_role("button", name="Join the mailing list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert cookies() == []

    confirmation = next(m for m in smtp_server.messages if m["To"] == "cookie-free@example.org")
    page.goto(_confirmation_path(confirmation))
    assert cookies() == []
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mailing list preferences")
    assert cookies() in ([], ["messages"])
    page.goto("/")  # the notice has been shown: its cookie goes
    assert cookies() == []
    # Regression: the preferences page (from the emailed link) set a csrftoken cookie.
    page.go_back()
    page.get_by_label("Net Zero").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_role("main")).to_contain_text("Your preferences are saved.")
    assert cookies() in ([], ["messages"])
    page.goto("/")
    assert cookies() == []
    subscriber = Subscriber.objects.get(email="cookie-free@example.org")
    assert sorted(t.slug for t in subscriber.topics.all()) == ["net-zero", "space"]
