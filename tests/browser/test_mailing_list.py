"""A reader joins the mailing list from the sign-up block on the seed article, in Chromium."""

from django.core import mail
from playwright.sync_api import expect

from ktnsite.demo.content import SEED_POST_SLUG
from mailinglist.models import State, Subscriber

ARTICLE = f"/news/{SEED_POST_SLUG}/"


def test_a_reader_signs_up_from_the_block_on_the_seed_article(page, demo_live):
    page.goto(ARTICLE)
    block = page.get_by_role("region", name="Connect with Innovate UK Business Connect")
    expect(block).to_contain_text("Please check your email to confirm your subscription")
    block.get_by_label("Email address").fill("reader@example.org")
    block.get_by_label("Medicines Manufacturing").check()
    # The consent box and the button, by keyboard.
    block.get_by_label("I agree to").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("status")).to_contain_text(
        "Please check your email to confirm your subscription and select your area(s) of interest"
    )
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.state) == ("reader@example.org", State.PENDING)
    assert [t.slug for t in subscriber.topics.all()] == ["medicines-manufacturing"]
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]


def test_a_sign_up_without_consent_explains_what_is_missing(page, demo_live):
    page.goto(ARTICLE)
    block = page.get_by_role("region", name="Connect with Innovate UK Business Connect")
    block.get_by_label("Email address").fill("reader@example.org")
    block.get_by_role("button", name="Join the mailing list").click()
    summary = page.get_by_role("alert").first
    expect(summary).to_contain_text("Tick the box to agree")
    expect(summary).to_be_focused()
    assert not Subscriber.objects.exists()
