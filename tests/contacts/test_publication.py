"""Contacts are published like posts (issue 28): a new contact is a draft that no reader sees
anywhere (its page, the directory, topic hubs, the pages that name it, search, the sitemap)
until it is published; an editor may look at the draft; a published contact who has left
(`is_active` off) keeps its page pointing to a colleague."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from contacts.models import Contact
from publishing.models import Status, item_title
from tests.factories import (
    make_contact,
    make_event,
    make_opportunity,
    make_post,
    make_report,
    make_topic,
    signed_in,
)

pytestmark = pytest.mark.django_db

HIDDEN_NAME = "Dana Draftwell"


@pytest.fixture
def topic():
    return make_topic(name="Space", slug="space")


@pytest.fixture
def draft(topic):
    return make_contact(
        name=HIDDEN_NAME, slug="dana", status=Status.DRAFT, publish_at=None, topics=[topic]
    )


def test_a_new_contact_is_a_draft_and_not_among_the_active_ones():
    contact = Contact.objects.create(name="New Lead", slug="new-lead", email="n@example.org")
    assert contact.status == Status.DRAFT and not contact.is_live
    assert not Contact.objects.active().filter(pk=contact.pk).exists()
    assert str(contact) == item_title(contact) == "New Lead"


def test_a_published_contact_without_a_publish_time_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            name="X", slug="x", email="x@example.org", status=Status.PUBLISHED, publish_at=None
        )


def test_a_draft_contact_page_is_not_found_for_readers(client, draft):
    assert client.get(f"/contacts/{draft.slug}/").status_code == 404
    assert client.get(f"/contacts/{draft.slug}/thanks/").status_code == 404
    assert client.get(f"/go/contact/{draft.pk}/").status_code == 404


def test_an_editor_sees_the_draft_page_and_no_cache_keeps_it(draft):
    editor = signed_in("ed", perms=["change_contact"])
    response = editor.get(f"/contacts/{draft.slug}/")
    assert response.status_code == 200
    assert HIDDEN_NAME in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_a_draft_contact_is_in_no_list_or_page_that_names_contacts(client, draft, topic):
    live = make_contact(name="Lisa Livewell", topics=[topic])
    post = make_post(contacts=[live, draft], topics=[topic])
    opportunity = make_opportunity(contacts=[live, draft])
    event = make_event(speakers=[live, draft])
    pages = {
        "directory": "/contacts/",
        "directory of the topic": f"/contacts/?topic={topic.slug}",
        "topic hub": f"/topics/{topic.slug}/",
        "article": post.get_absolute_url(),
        "opportunity": opportunity.get_absolute_url(),
        "event": event.get_absolute_url(),
    }
    for what, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, what
        page = response.content.decode()
        # The live contact is there, so the page does list contacts; the draft is not.
        assert "Lisa Livewell" in page, what
        assert HIDDEN_NAME not in page and "/contacts/dana/" not in page, what
    assert "Lisa Livewell" in client.get("/search/?q=Lisa").content.decode()
    found = client.get("/search/?q=Dana").content.decode()
    assert HIDDEN_NAME not in found and "/contacts/dana/" not in found
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/contacts/{live.slug}/" in sitemap
    assert "/contacts/dana/" not in sitemap


def test_a_report_s_draft_accessible_format_contact_is_not_named(client, draft, settings):
    settings.REPORTS_ACCESSIBLE_FORMAT_URL = "mailto:formats@example.org"
    report = make_report(accessible_format_contact=draft)
    page = client.get(report.get_absolute_url()).content.decode()
    assert HIDDEN_NAME not in page
    assert "formats@example.org" in page


def test_once_published_the_contact_shows_everywhere(client, draft, topic):
    make_post(contacts=[draft], topics=[topic])
    draft.status, draft.publish_at = Status.PUBLISHED, draft.created_at
    draft.save()
    assert client.get(f"/contacts/{draft.slug}/").status_code == 200
    assert HIDDEN_NAME in client.get("/contacts/").content.decode()
    assert HIDDEN_NAME in client.get(f"/topics/{topic.slug}/").content.decode()


def test_a_published_contact_who_left_still_points_readers_to_a_colleague(client, topic):
    make_contact(name="Colin Colleague", topics=[topic])
    gone = make_contact(name="Gina Gone", is_active=False, topics=[topic])
    response = client.get(f"/contacts/{gone.slug}/")
    assert response.status_code == 410
    assert "Colin Colleague" in response.content.decode()
    assert "Gina Gone" not in client.get("/contacts/").content.decode()


def test_a_colleague_still_in_draft_is_not_offered_in_place_of_one_who_left(client, topic):
    make_contact(name=HIDDEN_NAME, status=Status.DRAFT, publish_at=None, topics=[topic])
    gone = make_contact(name="Gina Gone", is_active=False, topics=[topic])
    assert HIDDEN_NAME not in Client().get(f"/contacts/{gone.slug}/").content.decode()
