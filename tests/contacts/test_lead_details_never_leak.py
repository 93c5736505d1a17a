"""Leads' email addresses and phone numbers reach only staff allowed to see them, and only in staff views.

Every public URL (crawled from the home page, plus feeds, search and every profile) and
every export is requested as an anonymous reader, as staff without the view permission for
contacts, and as staff with it (and the export right); each body is scanned for the demo
leads' addresses and numbers.
"""

import re
from html import escape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from contacts.models import Contact
from tests.factories import enquiry_form_data, make_staff
from topics.models import Topic

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/admin/", "/media/", "/static/")


def _exists(path):
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


def _secrets():
    """Each demo lead's address and number, the number also as a tel: link writes it."""
    found = []
    for email, phone in Contact.objects.values_list("email", "phone"):
        found.append(email)
        if phone:
            found += [phone, re.sub(r"[^\d+]", "", phone)]
    return found


def _public_paths(client):
    start = ["/", "/contacts/", "/sitemap.xml", "/robots.txt", "/feeds/news/", "/feeds/news/atom/"]
    start += [contact.get_absolute_url() for contact in Contact.objects.all()]
    for topic in Topic.objects.all():
        start += [
            topic.get_absolute_url(),
            f"/contacts/?topic={topic.slug}",
            f"/feeds/topics/{topic.slug}/",
            f"/feeds/topics/{topic.slug}/atom/",
        ]
    for contact in Contact.objects.all():
        # Search for the very things that must not be found.
        start += [f"/search/?q={contact.email}", f"/search/?q={contact.phone}"]
    start += ["/search/?q=example.org", "/search/?q=7946", "/search/?q=karen"]
    queue, seen = [p for p in start if _exists(p)], []
    while queue and len(seen) < 200:
        path = queue.pop(0)
        if path in seen or path.startswith(SKIP):
            continue
        seen.append(path)
        response = client.get(path)
        kind = response.get("Content-Type", "")
        if "html" in kind:
            queue.extend(HREF.findall(response.content.decode()))
    return seen


def _exports():
    paths = [reverse("admin:contacts_directoryentry_export")]
    paths += [
        reverse("admin:contacts_directoryentry_vcard", args=[pk])
        for pk in Contact.objects.values_list("pk", flat=True)
    ]
    paths.append(reverse("admin:contacts_directoryentry_export") + "?q=karen")
    return paths


def _echoed(path):
    query = parse_qs(urlsplit(path).query).get("q", [""])[0] if path.startswith("/search/") else ""
    return query


def _without_echo(body, typed):
    """The search page without the places that repeat what was typed (its title, box and
    heading): typing an address must not count as a leak, while the results still do."""
    if not typed:
        return body
    shown = escape(typed.strip())
    for echo in (f"Search: {shown} |", f'value="{shown}"', f"for “{shown}”"):
        body = body.replace(echo, "")
    return body


def _body(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def _is_staff_view(path):
    """Where an allowed colleague is meant to find the details: profiles and the exports."""
    return path.startswith("/admin/contacts/directoryentry/") or (
        re.fullmatch(r"(POST )?/contacts/[\w-]+/", path) is not None
    )


@pytest.mark.django_db
def test_only_staff_allowed_to_see_them_receive_leads_emails_and_phones(demo):
    Contact.objects.filter(slug="amir-haddad").update(is_active=False)  # a 410 page too
    secrets = _secrets()
    assert "karen.wilkinson@example.org" in secrets and "020 7946 0101" in secrets

    anonymous = Client()
    paths = _public_paths(anonymous)
    assert len(paths) > 40  # the crawl really walked the site
    assert "/contacts/karen-wilkinson/" in paths and "/contacts/amir-haddad/" in paths
    exports = _exports()

    without = Client()
    without.force_login(make_staff("writer", perms=["view_post", "change_post", "view_report"]))
    allowed = Client()
    allowed.force_login(make_staff("colleague", groups=["Editors"], perms=["export_contact"]))

    karen = Contact.objects.get(slug="karen-wilkinson")
    leaks = {"anonymous": [], "staff without permission": [], "staff with permission": []}
    shown_to_allowed = set()
    for who, client in [("anonymous", anonymous), ("staff without permission", without),
                        ("staff with permission", allowed)]:  # fmt: skip
        bodies = {path: client.get(path) for path in paths + exports}
        # The pages the enquiry form leads to: errors and thanks.
        bodies[f"POST {karen.get_absolute_url()}"] = client.post(karen.get_absolute_url(), {})
        bodies["thanks"] = client.post(karen.get_absolute_url(), enquiry_form_data(), follow=True)
        for path, response in bodies.items():
            body = _body(response)
            body = _without_echo(body, _echoed(path))
            for secret in secrets:
                if secret in body:
                    if who == "staff with permission" and _is_staff_view(path):
                        shown_to_allowed.add(path)
                    else:
                        leaks[who].append((path, secret))
        if who != "staff with permission":
            assert all(bodies[path].status_code in (302, 403) for path in exports), who

    assert leaks == {"anonymous": [], "staff without permission": [], "staff with permission": []}
    # Nor does search answer "whose address is this?": a lead's email or number finds nobody.
    for contact in Contact.objects.exclude(phone=""):
        for typed in (contact.email, contact.phone):
            html = _body(anonymous.get("/search/", {"q": typed}))
            assert contact.get_absolute_url() not in html, typed
    # And the allowed colleague really got them where they should: every profile, every export.
    assert "/contacts/karen-wilkinson/" in shown_to_allowed
    assert "/contacts/amir-haddad/" in shown_to_allowed  # marked inactive, still there
    assert set(exports) <= shown_to_allowed
