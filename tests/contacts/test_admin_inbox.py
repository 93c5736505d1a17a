"""The enquiries inbox in the admin: per contact, filtered, searched, handled and resent."""

import pytest

from contacts.models import EnquiryState
from tests.factories import make_contact, make_enquiry, make_staff

pytestmark = pytest.mark.django_db

INBOX = "/admin/contacts/enquiry/"


@pytest.fixture
def inbox_client(client):
    """A member of the Editors group: the inbox is theirs to work."""
    client.force_login(make_staff("inbox", groups=["Editors"]))
    return client


def test_the_inbox_filters_by_contact_state_and_searches(inbox_client):
    karen, amir = make_contact(name="Karen"), make_contact(name="Amir")
    make_enquiry(contact=karen, subject="Pilot line")
    make_enquiry(contact=amir, subject="Hydrogen", state=EnquiryState.FAILED)
    by_contact = inbox_client.get(INBOX, {"contact__id__exact": karen.pk}).content.decode()
    assert "Pilot line" in by_contact and "Hydrogen" not in by_contact
    failed = inbox_client.get(INBOX, {"state__exact": "failed"}).content.decode()
    assert "Hydrogen" in failed and "Pilot line" not in failed
    found = inbox_client.get(INBOX, {"q": "pilot"}).content.decode()
    assert "Pilot line" in found and "Hydrogen" not in found


def test_editors_can_mark_an_enquiry_handled(inbox_client):
    enquiry = make_enquiry()
    response = inbox_client.post(
        INBOX, {"action": "mark_handled", "_selected_action": [enquiry.pk]}, follow=True
    )
    assert "1 enquiries marked as handled." in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.handled_at is not None


def test_editors_can_resend_a_failed_enquiry(
    inbox_client, smtp_server, django_capture_on_commit_callbacks
):
    failed = make_enquiry(state=EnquiryState.FAILED, attempts=10, last_error="refused")
    sent = make_enquiry(state=EnquiryState.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        inbox_client.post(
            INBOX, {"action": "resend_failed", "_selected_action": [failed.pk, sent.pk]}
        )
    failed.refresh_from_db()
    assert failed.state == EnquiryState.SENT
    assert failed.attempts == 1
    assert smtp_server.envelopes[0][1] == [failed.contact.email]
    assert len(smtp_server.messages) == 2  # the sent one was left alone


def test_what_a_reader_wrote_cannot_be_edited_or_invented(inbox_client):
    enquiry = make_enquiry(subject="Original")
    page = inbox_client.get(f"{INBOX}{enquiry.pk}/change/").content.decode()
    assert 'name="subject"' not in page
    assert inbox_client.get(f"{INBOX}add/").status_code == 403


def test_the_contacts_list_counts_and_links_their_enquiries(admin_client):
    karen = make_contact(name="Karen")
    make_enquiry(contact=karen)
    make_enquiry(contact=karen)
    html = admin_client.get("/admin/contacts/contact/").content.decode()
    assert f'href="{INBOX}?contact__id__exact={karen.pk}">2</a>' in html


def test_a_contact_with_enquiries_cannot_be_deleted(admin_client):
    karen = make_contact(name="Karen")
    make_enquiry(contact=karen)
    response = admin_client.post(f"/admin/contacts/contact/{karen.pk}/delete/", {"post": "yes"})
    assert "Cannot delete contact" in response.content.decode()
    karen.refresh_from_db()
