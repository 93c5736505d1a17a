"""What the readers' browser tests share: writing to a named lead through their page's form."""


def send_an_enquiry(page):
    """Fill in the enquiry form of the contact page `page` shows, as Ada Lovelace, and send it."""
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email address").fill("ada@example.com")
    page.get_by_label("Subject", exact=True).fill("The impact report")
    page.get_by_label("Message", exact=True).fill("Could we discuss the report's findings?")
    page.get_by_label("I agree that").check()
    page.get_by_role("button", name="Send message").click()
