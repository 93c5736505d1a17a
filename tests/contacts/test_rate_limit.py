"""Per-IP rate limit on enquiries, counted in the shared cache, answered with a friendly 429."""

import pytest

from contacts.models import Enquiry
from tests.factories import enquiry_form_data, make_contact

pytestmark = pytest.mark.django_db


def send(client, contact, ip="203.0.113.7", **fields):
    return client.post(contact.get_absolute_url(), enquiry_form_data(**fields), REMOTE_ADDR=ip)


def test_the_sixth_enquiry_in_an_hour_gets_a_friendly_429(client):
    contact = make_contact()
    for _ in range(5):
        assert send(client, contact).status_code == 302
    response = send(client, contact, message="My sixth message")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    html = response.content.decode()
    assert "Please wait before sending another message" in html
    assert "My sixth message" in html  # given back, so the reader loses nothing
    assert Enquiry.objects.count() == 5


def test_the_limit_counts_each_address_separately(client):
    contact = make_contact()
    for _ in range(5):
        send(client, contact, ip="203.0.113.7")
    assert send(client, contact, ip="198.51.100.2").status_code == 302
    assert Enquiry.objects.count() == 6


def test_the_limit_comes_from_the_settings(client, settings):
    settings.CONTACTS_ENQUIRY_RATE = "2/h"
    contact = make_contact()
    assert [send(client, contact).status_code for _ in range(3)] == [302, 302, 429]


def test_a_double_submit_does_not_use_up_the_allowance(client, settings):
    settings.CONTACTS_ENQUIRY_RATE = "1/h"
    contact = make_contact()
    data = enquiry_form_data()
    for _ in range(3):
        response = client.post(contact.get_absolute_url(), data, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 302
    assert Enquiry.objects.count() == 1
