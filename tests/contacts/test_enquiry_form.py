"""The enquiry form on a profile: good input is stored once, bad input gets a clear message."""

import pytest
from django.test import Client

from contacts.models import Enquiry, EnquiryState
from tests.factories import enquiry_form_data, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact():
    return make_contact(name="Karen Wilkinson", slug="karen-wilkinson")


def post(client, contact, **fields):
    return client.post(contact.get_absolute_url(), enquiry_form_data(**fields))


def test_the_profile_shows_the_enquiry_form(client, contact):
    html = client.get(contact.get_absolute_url()).content.decode()
    assert "Send Karen Wilkinson a message" in html
    for name in ["name", "email", "organisation", "subject", "message", "consent", "token"]:
        assert f'name="{name}"' in html
    assert "may keep these details and pass them to Karen Wilkinson" in html


def test_a_good_enquiry_is_stored_and_the_reader_sees_thank_you(
    client, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(client, contact)
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.slug}/thanks/"
    enquiry = Enquiry.objects.get()
    assert (enquiry.contact, enquiry.name, enquiry.email) == (
        contact,
        "Ada Lovelace",
        "ada@example.com",
    )
    assert enquiry.message == "Could we talk about the pilot line?\nThanks, Ada"
    assert "pass them to Karen Wilkinson" in enquiry.consent_text
    assert enquiry.state == EnquiryState.PENDING
    assert len(callbacks) == 1  # delivery waits for the commit
    thanks = client.get(response["Location"]).content.decode()
    assert "your message has been received" in thanks
    assert "Karen Wilkinson" in thanks


def test_empty_fields_are_each_named_and_nothing_is_stored(client, contact):
    response = client.post(contact.get_absolute_url(), {"token": enquiry_form_data()["token"]})
    html = response.content.decode()
    assert response.status_code == 400
    for message in ["Enter your name.", "Enter your email address.", "Enter a subject.",
                    "Enter your message.", "Tick the box to agree"]:  # fmt: skip
        assert message in html
    assert "Your message has not been sent yet" in html
    assert not Enquiry.objects.exists()


def test_an_invalid_email_address_is_explained(client, contact):
    response = post(client, contact, email="ada-at-example")
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.content.decode()
    assert not Enquiry.objects.exists()


def test_a_100_kb_message_is_refused_with_its_length(client, contact):
    response = post(client, contact, message="x" * 100_000)
    assert response.status_code == 400
    assert "Your message must be 5,000 characters or fewer (it has 100000)" in (
        response.content.decode()
    )
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize("field", ["subject", "name", "organisation"])
def test_a_line_break_cannot_smuggle_in_a_mail_header(client, contact, field):
    response = post(client, contact, **{field: "Hello\r\nBcc: victim@example.net"})
    assert response.status_code == 400
    assert "Write this on one line, without line breaks." in response.content.decode()
    assert not Enquiry.objects.exists()


def test_a_form_posted_twice_is_stored_once_and_thanked_twice(client, contact):
    data = enquiry_form_data()
    first = client.post(contact.get_absolute_url(), data)
    second = client.post(contact.get_absolute_url(), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Enquiry.objects.count() == 1


def test_the_page_carries_no_token_and_the_post_is_given_one(client, contact):
    url = contact.get_absolute_url()
    first = client.get(url).content
    assert first == client.get(url).content  # the same for everyone
    data = enquiry_form_data()
    del data["token"]
    assert client.post(url, data).status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.token is not None
    # The same words posted again (a double click, a reload) are the same enquiry...
    assert client.post(url, data).status_code == 302
    assert Enquiry.objects.count() == 1
    # ...while a different message from the same reader is a second one.
    data["message"] = "And one more thing."
    assert client.post(url, data).status_code == 302
    assert Enquiry.objects.count() == 2


def test_a_tampered_token_asks_to_send_again_with_a_fresh_one(client, contact):
    response = post(client, contact, token="not-a-token")
    assert response.status_code == 400
    assert "This form has expired. Please send it again." in response.content.decode()
    assert response.context["form"]["token"].value() != "not-a-token"
    assert not Enquiry.objects.exists()


def test_a_post_to_someone_who_has_moved_on_is_refused(client):
    gone = make_contact(is_active=False)
    response = post(client, gone)
    assert response.status_code == 410
    assert "has moved on" in response.content.decode()
    assert not Enquiry.objects.exists()


def test_a_post_from_another_site_is_refused_without_any_csrf_token(contact):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        contact.get_absolute_url(), enquiry_form_data(), headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403
    assert not Enquiry.objects.exists()
    response = client.post(
        contact.get_absolute_url(), enquiry_form_data(), headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 302
    assert Enquiry.objects.count() == 1


def test_a_bot_that_fills_the_honeypot_is_thanked_but_nothing_is_stored(
    client, contact, mailoutbox
):
    response = post(client, contact, website="http://spam.example")
    assert response.status_code == 302
    assert not Enquiry.objects.exists()
    assert mailoutbox == []


def test_the_honeypot_is_hidden_from_people_and_keyboards(client, contact):
    html = client.get(contact.get_absolute_url()).content.decode()
    assert '<div class="hp" aria-hidden="true">' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_a_post_far_over_the_size_limit_is_a_400_not_a_500(client, contact):
    response = post(client, contact, message="x" * 3_000_000)
    assert response.status_code == 400
    assert not Enquiry.objects.exists()


def test_the_service_itself_refuses_a_contact_who_has_moved_on():
    from contacts.services import ContactInactive, enquiry_submit

    gone = make_contact(is_active=False)
    fields = enquiry_form_data()
    with pytest.raises(ContactInactive):
        enquiry_submit(
            contact=gone,
            consent_text="I agree.",
            **{k: fields[k] for k in ["token", "name", "email", "subject", "message"]},
        )
    assert not Enquiry.objects.exists()
