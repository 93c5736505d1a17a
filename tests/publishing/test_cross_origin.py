"""Public forms refuse posts from other sites by Fetch Metadata and Origin, with no CSRF token."""

import pytest
from django.test import Client

from contacts.models import Enquiry
from mailinglist.models import Frequency, Subscriber
from mailinglist.tokens import PREFERENCES, token_url
from tests.factories import enquiry_form_data, make_contact, make_subscriber

pytestmark = pytest.mark.django_db


def _signup(client, headers):
    response = client.post(
        "/mailing-list/", {"email": "reader@example.org", "consent": "on"}, headers=headers
    )
    return response, Subscriber.objects.exists()


def _enquiry(client, headers):
    contact = make_contact()
    data = enquiry_form_data()
    del data["token"]
    response = client.post(contact.get_absolute_url(), data, headers=headers)
    return response, Enquiry.objects.exists()


def _preferences(client, headers):
    subscriber = make_subscriber()
    link = token_url(subscriber, PREFERENCES, absolute=False)
    response = client.post(link, {"frequency": Frequency.WEEKLY}, headers=headers)
    return response, Subscriber.objects.filter(frequency=Frequency.WEEKLY).exists()


FORMS = {
    "mailing-list sign-up": _signup,
    "enquiry": _enquiry,
    "mailing-list preferences": _preferences,
}

CASES = {
    # name: (request headers, accepted?)
    "same origin": ({"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}, True),
    "typed or bookmarked": ({"Sec-Fetch-Site": "none"}, True),
    "cross-site": ({"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, False),
    "another subdomain": ({"Sec-Fetch-Site": "same-site", "Origin": "http://a.testserver"}, False),
    "no headers (curl, a test client)": ({}, True),
    "old browser, own origin": ({"Origin": "http://testserver"}, True),
    "old browser, foreign origin": ({"Origin": "https://evil.example"}, False),
    "old browser, opaque origin": ({"Origin": "null"}, False),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", CASES)
def test_a_public_form_accepts_its_own_site_and_refuses_others(form, case):
    headers, accepted = CASES[case]
    response, stored = FORMS[form](Client(enforce_csrf_checks=True), headers)
    if accepted:
        assert response.status_code == 302 and stored
    else:
        assert response.status_code == 403 and not stored
        assert "This form could not be sent" in response.content.decode()


@pytest.mark.parametrize("form", FORMS)
def test_an_origin_the_operator_trusts_may_post_across_sites(form, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://partner.example"]
    headers = {"Sec-Fetch-Site": "cross-site", "Origin": "https://partner.example"}
    response, stored = FORMS[form](Client(enforce_csrf_checks=True), headers)
    assert response.status_code == 302 and stored


def test_search_is_a_get_and_works_from_anywhere():
    response = Client(enforce_csrf_checks=True).get(
        "/search/", {"q": "x"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 200
