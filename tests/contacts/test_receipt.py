"""The receipt sent to whoever filled in the form carries nothing they typed: no spam relay."""

import pytest
from django.utils import timezone

from contacts.models import Enquiry
from tests.factories import enquiry_form_data, make_contact

pytestmark = pytest.mark.django_db

SPAM = "Cheap pills at https://spam.example/buy"


def test_the_receipt_names_the_contact_and_time_and_repeats_nothing_typed(
    client, smtp_server, django_capture_on_commit_callbacks
):
    contact = make_contact(name="Karen Wilkinson", job_title="Knowledge Transfer Manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            contact.get_absolute_url(),
            enquiry_form_data(
                name=SPAM, email="victim@example.net", subject=SPAM, message=SPAM,
                organisation=SPAM,
            ),
        )  # fmt: skip
    assert response.status_code == 302
    to_contact, receipt = smtp_server.messages
    assert SPAM in to_contact.get_body(("plain",)).get_content()  # the contact reads it all
    assert smtp_server.envelopes[1][1] == ["victim@example.net"]
    raw = receipt.as_string()
    for typed in ("Cheap pills", "spam.example"):
        assert typed not in raw
    text = receipt.get_body(("plain",)).get_content()
    received = timezone.localtime(Enquiry.objects.get().created_at)
    assert "Karen Wilkinson, Knowledge Transfer Manager" in text
    assert f"from our contact form on {received:%d/%m/%Y at %H:%M}" in text
    assert receipt["To"] == "victim@example.net"
