"""A contact's email address never appears in any public page, feed or sitemap."""

import re

import pytest
from django.urls import Resolver404, resolve

from contacts.models import Contact
from tests.factories import enquiry_form_data

HREF = re.compile(r'href="(/[^"#]*)"')
MAILTO_ADDRESS = re.compile(r"mailto:[^\"?]*@")
# Machine-readable pages other branches add; checked whenever they exist.
MACHINE_PATHS = [
    "/sitemap.xml",
    "/feeds/news/",
    "/feeds/news/atom/",
    "/robots.txt",
    "/search/?q=karen",
]


def _exists(path):
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


def test_no_public_page_reveals_a_contacts_email_address(client, demo):
    emails = list(Contact.objects.values_list("email", flat=True))
    assert "karen.wilkinson@example.org" in emails
    karen = Contact.objects.get(slug="karen-wilkinson")
    Contact.objects.filter(slug="amir-haddad").update(is_active=False)  # a moved-on page too

    # Crawl every page a reader can reach by following links from the home page.
    queue = ["/", "/contacts/", *[p for p in MACHINE_PATHS if _exists(p)]]
    seen = set()
    pages = {}
    while queue and len(seen) < 150:
        path = queue.pop()
        if path in seen or path.startswith(("/admin/", "/media/", "/static/")):
            continue
        seen.add(path)
        response = client.get(path)
        if "text/" not in response.get("Content-Type", "") and "xml" not in response.get(
            "Content-Type", ""
        ):
            continue
        pages[path] = response.content.decode()
        queue.extend(HREF.findall(pages[path]))
    # And the pages the form leads to: errors, thanks, and the rate-limit page.
    pages["form errors"] = client.post(karen.get_absolute_url(), {}).content.decode()
    thanks = client.post(karen.get_absolute_url(), enquiry_form_data(), follow=True)
    pages["thanks"] = thanks.content.decode()

    assert karen.get_absolute_url() in pages and "/contacts/amir-haddad/" in pages
    leaks = [(path, email) for path, html in pages.items() for email in emails if email in html]
    assert leaks == []
    assert [path for path, html in pages.items() if MAILTO_ADDRESS.search(html)] == []
    assert len(pages) > 20  # the crawl really walked the site


@pytest.mark.django_db
def test_the_profile_has_no_mailto_link_and_no_part_of_the_address(client):
    from tests.factories import make_contact

    contact = make_contact(name="Lead Person", email="lead.person@agency.example")
    html = client.get(contact.get_absolute_url()).content.decode()
    assert "agency.example" not in html
    assert "lead.person" not in html
    assert not MAILTO_ADDRESS.search(html)
