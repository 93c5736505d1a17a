"""A reader follows "please contact Karen Wilkinson" from the seed article and sends a message."""

from playwright.sync_api import expect

from contacts.models import Enquiry, EnquiryState
from ktnsite.demo.content import SEED_POST_SLUG
from tests.browser.reader_helpers import send_an_enquiry


def test_a_reader_contacts_karen_wilkinson_from_the_seed_article(page, demo_live, smtp_server):
    page.goto(f"/news/{SEED_POST_SLUG}/")
    page.get_by_role("link", name="Karen Wilkinson").click()
    expect(page.get_by_role("heading", name="Karen Wilkinson", level=1)).to_be_visible()

    send_an_enquiry(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("your message has been received")
    assert Enquiry.objects.get().state == EnquiryState.SENT
    assert smtp_server.envelopes[0][1] == ["karen.wilkinson@example.org"]
    assert smtp_server.messages[0]["Reply-To"] == "Ada Lovelace <ada@example.com>"


def test_a_form_with_mistakes_puts_focus_on_what_to_fix(page, demo_live):
    page.goto("/contacts/karen-wilkinson/")
    page.get_by_label("Your name").fill("Ada")
    page.get_by_role("button", name="Send message").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Enter your email address.").click()
    expect(page.get_by_label("Your email address")).to_be_focused()
    expect(page.get_by_label("Your name")).to_have_value("Ada")
