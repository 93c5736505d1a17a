"""Contacts' pages and topics go through review like posts (issue 28, item 1): with
REVIEW_REQUIRED on for them, the writer cannot publish their own; a second person approves
and publishes, or sends it back; the admin home counts them; an expert may be asked. With
the setting off, an editor publishes a contact from its form as before."""

import re

import pytest
from django.test import Client

from contacts.models import Contact
from publishing.editing import edit_token
from publishing.models import Status
from review.models import Review, ReviewState
from tests.factories import make_contact, make_topic, signed_in
from tests.review.test_review_flow import change_url, decide, review_url, submit, the_review
from topics.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.REVIEW_REQUIRED = ["contacts.contact", "topics.topic"]


@pytest.fixture
def pat():
    return signed_in("pat", groups=["Editors"])


@pytest.fixture
def rita():
    return signed_in("rita", groups=["Editors"])


def contact_data(contact=None, **overrides):
    """The fields the contact admin form sends (a new draft without `contact`)."""
    data = {
        "name": contact.name if contact else "Karen Wilkinson",
        "slug": contact.slug if contact else "karen-wilkinson",
        "job_title": contact.job_title if contact else "Knowledge Transfer Manager",
        "team": "",
        "email": contact.email if contact else "karen@example.org",
        "phone": "",
        "photo": "",
        "bio": "",
        "topics": [t.pk for t in contact.topics.all()] if contact else [],
        "is_active": "on",
        "status": contact.status if contact else Status.DRAFT,
        "publish_at_0": "",
        "publish_at_1": "",
    }
    if contact is not None:
        data["edit_base"] = edit_token(contact)
    data.update(overrides)
    return data


def topic_data(topic, **overrides):
    data = {
        "name": topic.name,
        "slug": topic.slug,
        "description": topic.description,
        "ordering": topic.ordering,
        "status": topic.status,
        "publish_at_0": "",
        "publish_at_1": "",
        "edit_base": edit_token(topic),
    }
    data.update(overrides)
    return data


def test_a_contact_added_in_the_admin_starts_as_a_draft_no_reader_sees(pat):
    response = pat.post("/admin/contacts/contact/add/", contact_data(_publishing="draft"))
    assert response.status_code == 302
    contact = Contact.objects.get(slug="karen-wilkinson")
    assert contact.status == Status.DRAFT
    assert Client().get("/contacts/karen-wilkinson/").status_code == 404


def test_without_the_setting_an_editor_publishes_a_contact_as_before(pat):
    contact = make_contact(status=Status.DRAFT, publish_at=None)
    response = pat.post(change_url(contact), contact_data(contact, _publishing="publish"))
    assert response.status_code == 302
    assert Contact.objects.get(pk=contact.pk).is_live
    assert Client().get(contact.get_absolute_url()).status_code == 200


def test_a_writer_without_the_publish_right_cannot_publish_a_contact():
    writer = signed_in("wendy", perms=["add_contact", "change_contact", "view_contact"])
    contact = make_contact(status=Status.DRAFT, publish_at=None)
    writer.post(change_url(contact), contact_data(contact, _publishing="publish"))
    assert Contact.objects.get(pk=contact.pk).status == Status.DRAFT


def test_a_contact_s_review_round_with_review_required(required, pat, rita, settings):
    pat.post("/admin/contacts/contact/add/", contact_data(_publishing="draft"))
    contact = Contact.objects.get(slug="karen-wilkinson")
    refused = pat.post(change_url(contact), contact_data(contact, _publishing="publish"))
    assert "needs a second person&#x27;s approval" in refused.content.decode()
    assert Contact.objects.get(pk=contact.pk).status == Status.DRAFT

    response = submit(pat, contact, message="New lead for Space.")
    assert "Submitted for review" in response.content.decode()
    assert "In review" in pat.get("/admin/contacts/contact/").content.decode()
    home = rita.get("/admin/").content.decode()
    assert "Waiting for my review: 1" in home
    # The writer is not the second set of eyes.
    assert decide(pat, contact, "approve_publish").status_code == 403
    assert Client().get("/contacts/karen-wilkinson/").status_code == 404

    decide(rita, contact, "approve_publish")
    contact.refresh_from_db()
    assert contact.is_live
    assert the_review(contact).state == ReviewState.APPROVED
    assert Client().get("/contacts/karen-wilkinson/").status_code == 200
    assert "Karen Wilkinson" in Client().get("/contacts/").content.decode()
    assert "Waiting for my review: 0" in rita.get("/admin/").content.decode()


def test_a_live_contact_s_change_waits_for_review_while_readers_see_the_old_one(
    required, pat, rita
):
    contact = make_contact(name="Karen Wilkinson", job_title="Manager")
    pat.post(
        change_url(contact),
        contact_data(contact, job_title="Head of Space", _publishing="changes_draft"),
    )
    assert Contact.objects.get(pk=contact.pk).job_title == "Manager"  # held back
    submit(pat, contact)
    assert "Head of Space" not in Client().get(contact.get_absolute_url()).content.decode()
    decide(rita, contact, "approve_publish")
    assert Contact.objects.get(pk=contact.pk).job_title == "Head of Space"


def test_a_topic_sent_back_then_approved_and_published(required, pat, rita, settings):
    topic = make_topic(name="Quantum", slug="quantum", status=Status.DRAFT, publish_at=None)
    pat.post(change_url(topic), topic_data(topic, description="Qubits.", _publishing="draft"))
    submit(pat, topic)
    assert "Waiting for my review: 1" in rita.get("/admin/").content.decode()
    assert decide(rita, topic, "send_back", comment="").status_code == 400
    decide(rita, topic, "send_back", comment="Say what it covers.")
    assert the_review(topic).state == ReviewState.SENT_BACK
    assert "Sent back to me: 1" in pat.get("/admin/").content.decode()

    topic.refresh_from_db()
    pat.post(change_url(topic), topic_data(topic, description="Quantum technologies."))
    submit(pat, topic)
    topic.refresh_from_db()
    decide(rita, topic, "approve_publish")
    topic.refresh_from_db()
    assert topic.is_live and topic.description == "Quantum technologies."
    assert Client().get("/topics/quantum/").status_code == 200
    states = list(Review.objects.filter(object_id=topic.pk).values_list("state", flat=True))
    assert ReviewState.SENT_BACK in states and ReviewState.APPROVED in states


def test_publishing_a_topic_without_review_needs_a_reason_and_is_flagged(required, pat):
    topic = make_topic(status=Status.DRAFT, publish_at=None)
    boss = signed_in("bea", groups=["Editors"], perms=["publish_without_review"])
    assert boss.post(review_url(topic), {"_review": "force", "reason": ""}).status_code == 400
    assert not Topic.objects.get(pk=topic.pk).is_live
    boss.post(review_url(topic), {"_review": "force", "reason": "Launch today"})
    assert Topic.objects.get(pk=topic.pk).is_live
    assert the_review(topic).state == ReviewState.UNREVIEWED
    assert "Published without review" in pat.get("/admin/topics/topic/").content.decode()


def test_an_expert_sees_the_draft_contact_page_from_the_emailed_link(
    pat, smtp_server, django_capture_on_commit_callbacks
):
    contact = make_contact(
        name="Karen Wilkinson", bio="Leads on space.", status=Status.DRAFT, publish_at=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        pat.post(review_url(contact), {"_review": "expert", "email": "prof@uni.example"})
    body = smtp_server.messages[-1].get_body(("plain",)).get_content()
    path = re.search(r"https?://[^/\s]+(/review/expert/\S+/)", body).group(1)
    page = Client().get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Karen Wilkinson" in html and "Leads on space." in html and "Looks right" in html
    assert Contact.objects.get(pk=contact.pk).status == Status.DRAFT
