"""The enquiries inbox shows each enquiry's lead, and forwards an enquiry to another lead through the outbox."""

import pytest
from django.urls import reverse

from contacts import services
from contacts.models import Enquiry, EnquiryState
from tests.factories import make_contact, make_enquiry, make_staff, make_topic

pytestmark = pytest.mark.django_db

INBOX = "/admin/contacts/enquiry/"


@pytest.fixture
def editor_user():
    return make_staff("inbox", groups=["Editors"])


@pytest.fixture
def inbox_client(client, editor_user):
    client.force_login(editor_user)
    return client


@pytest.fixture
def enquiry():
    medicines = make_topic(name="Medicines Manufacturing")
    karen = make_contact(
        name="Karen Wilkinson", email="karen.w@agency.example", phone="020 7946 0101",
        topics=[medicines],
    )  # fmt: skip
    return make_enquiry(
        contact=karen,
        name="Ada Lovelace",
        email="ada@example.com",
        subject="Continuous manufacturing",
        state=EnquiryState.SENT,
        attempts=1,
    )


def _forward_url(enquiry):
    return reverse("admin:contacts_enquiry_forward", args=[enquiry.pk])


def test_the_inbox_shows_each_enquirys_lead_with_email_and_phone(inbox_client, enquiry):
    html = inbox_client.get(INBOX).content.decode()
    assert '<a href="mailto:karen.w@agency.example">karen.w@agency.example</a>' in html
    assert '<a href="tel:02079460101">020 7946 0101</a>' in html
    page = inbox_client.get(f"{INBOX}{enquiry.pk}/change/").content.decode()
    assert "karen.w@agency.example" in page
    assert f'href="{_forward_url(enquiry)}">Forward to another lead</a>' in page


def test_inbox_users_without_the_contacts_view_permission_see_only_the_name(client, enquiry):
    client.force_login(make_staff("reader", perms=["view_enquiry"]))
    html = client.get(INBOX).content.decode()
    assert "Karen Wilkinson" in html and "karen.w@agency.example" not in html
    page = client.get(f"{INBOX}{enquiry.pk}/change/").content.decode()
    assert "karen.w@agency.example" not in page and "020 7946 0101" not in page
    assert "Forward to another lead" not in page  # forwarding changes the inbox
    assert client.get(_forward_url(enquiry)).status_code == 403


def test_the_forward_form_offers_the_same_topics_leads_first(inbox_client, enquiry):
    topic = enquiry.contact.topics.get()
    make_contact(name="Zed Colleague", job_title="Innovation Lead", topics=[topic])
    make_contact(name="Abe Elsewhere")
    make_contact(name="Gone Person", topics=[topic], is_active=False)
    html = inbox_client.get(_forward_url(enquiry)).content.decode()
    same = html.index("Leads for Karen Wilkinson&#x27;s areas of interest")
    assert same < html.index("Zed Colleague, Innovation Lead (Medicines Manufacturing)")
    assert html.index("Zed Colleague") < html.index("Other leads") < html.index("Abe Elsewhere")
    assert "Gone Person" not in html


def test_forwarding_delivers_once_to_the_new_lead_through_smtp(
    inbox_client, editor_user, enquiry, smtp_server, django_capture_on_commit_callbacks
):
    amir = make_contact(name="Amir Haddad", email="amir.h@agency.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = inbox_client.post(_forward_url(enquiry), {"to_contact": amir.pk}, follow=True)
    assert "Forwarded to Amir Haddad" in response.content.decode()

    forward = Enquiry.objects.get(forwarded_from=enquiry)
    assert (forward.contact, forward.forwarded_by, forward.state) == (amir, editor_user, "sent")
    assert forward.forwarded_at is not None
    enquiry.refresh_from_db()
    assert enquiry.handled_at is not None  # passing it on dealt with it

    # One message, to the new lead only: the sender had their copy with the original.
    assert [rcpt for _, rcpt in smtp_server.envelopes] == [["amir.h@agency.example"]]
    message = smtp_server.messages[0]
    assert message["Subject"] == "Forwarded enquiry: Continuous manufacturing"
    assert "Ada Lovelace <ada@example.com>" in message["Reply-To"]
    body = message.get_body(("plain",)).get_content()
    assert "inbox forwarded this enquiry to you; it was first sent to Karen Wilkinson." in body

    # A second click, and a later sweep of the outbox, send nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = inbox_client.post(_forward_url(enquiry), {"to_contact": amir.pk})
    assert again.status_code == 400
    assert "already been forwarded to Amir Haddad" in again.content.decode()
    assert services.enquiries_deliver_pending() == {}
    assert len(smtp_server.messages) == 1
    assert Enquiry.objects.filter(forwarded_from=enquiry).count() == 1


def test_the_inbox_records_who_forwarded_it_on_both_enquiries(
    inbox_client, editor_user, enquiry, django_capture_on_commit_callbacks
):
    editor_user.first_name, editor_user.last_name = "Ed", "Itor"
    editor_user.save()
    amir = make_contact(name="Amir Haddad")
    with django_capture_on_commit_callbacks(execute=False):
        inbox_client.post(_forward_url(enquiry), {"to_contact": amir.pk})
    forward = Enquiry.objects.get(forwarded_from=enquiry)
    original = inbox_client.get(f"{INBOX}{enquiry.pk}/change/").content.decode()
    assert "Forwarded to <a href=" in original and "Amir Haddad</a> by Ed Itor on" in original
    copy = inbox_client.get(f"{INBOX}{forward.pk}/change/").content.decode()
    assert "Forwarded by Ed Itor on" in copy and "the enquiry to Karen Wilkinson</a>" in copy


def test_forwarding_to_a_lead_who_moved_on_is_refused_with_a_message(
    inbox_client, enquiry, mailoutbox
):
    gone = make_contact(name="Bea Former", is_active=False)
    response = inbox_client.post(_forward_url(enquiry), {"to_contact": gone.pk})
    assert response.status_code == 400
    assert "Bea Former has moved on and no longer receives enquiries" in response.content.decode()
    assert not Enquiry.objects.filter(forwarded_from=enquiry).exists()
    assert mailoutbox == []


def test_forwarding_without_choosing_a_lead_asks_for_one(inbox_client, enquiry):
    response = inbox_client.post(_forward_url(enquiry), {"to_contact": "9999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = inbox_client.post(_forward_url(enquiry), {})
    assert "Choose the lead to forward this enquiry to." in response.content.decode()


def test_the_service_refuses_an_inactive_lead_and_the_lead_who_has_it(enquiry, editor_user):
    gone = make_contact(is_active=False)
    with pytest.raises(services.ContactInactive):
        services.enquiry_forward(enquiry=enquiry, to_contact=gone, user=editor_user)
    with pytest.raises(services.ForwardRefused):
        services.enquiry_forward(enquiry=enquiry, to_contact=enquiry.contact, user=editor_user)
    assert not Enquiry.objects.filter(forwarded_from=enquiry).exists()


def test_a_forward_that_fails_is_retried_without_writing_to_the_sender_again(
    enquiry, editor_user, smtp_server, django_capture_on_commit_callbacks
):
    amir = make_contact(email="amir.h@agency.example")
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        forward = services.enquiry_forward(enquiry=enquiry, to_contact=amir, user=editor_user)
    forward.refresh_from_db()
    assert forward.state == EnquiryState.PENDING and forward.attempts == 1
    smtp_server.start()
    assert services.enquiries_deliver_pending() == {"sent": 1}
    assert [rcpt for _, rcpt in smtp_server.envelopes] == [["amir.h@agency.example"]]
