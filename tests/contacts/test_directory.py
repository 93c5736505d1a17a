"""The contacts directory and profiles: who to ask, what they wrote, and who replaces them."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from publishing.models import Status
from tests.factories import make_contact, make_post, make_topic

pytestmark = pytest.mark.django_db


def test_the_directory_lists_active_contacts_only(client):
    make_contact(name="Karen Wilkinson")
    make_contact(name="Former Colleague", is_active=False)
    html = client.get("/contacts/").content.decode()
    assert "Karen Wilkinson" in html
    assert "Former Colleague" not in html


def test_the_directory_filters_by_area_of_interest(client):
    medicines, space = make_topic(name="Medicines"), make_topic(name="Space")
    make_contact(name="Karen Wilkinson", topics=[medicines])
    make_contact(name="Priya Natarajan", topics=[space])
    html = client.get("/contacts/", {"topic": medicines.slug}).content.decode()
    assert "Contacts for Medicines" in html
    assert "Karen Wilkinson" in html and "Priya Natarajan" not in html
    assert f'href="/contacts/?topic={space.slug}"' in html


def test_an_unknown_area_of_interest_is_a_404(client):
    assert client.get("/contacts/", {"topic": "no-such-topic"}).status_code == 404


def test_a_profile_shows_role_bio_topics_and_latest_live_posts(client):
    topic = make_topic(name="Medicines Manufacturing")
    karen = make_contact(
        name="Karen Wilkinson",
        job_title="Knowledge Transfer Manager",
        team="Medicines Manufacturing",
        bio="Karen connects companies.",
        topics=[topic],
    )
    make_post(title="Pilot line opens", contacts=[karen])
    make_post(title="Draft about Karen", contacts=[karen], status=Status.DRAFT)
    make_post(title="Scheduled", contacts=[karen], publish_at=timezone.now() + timedelta(days=1))
    make_post(title="Someone else's news")
    html = client.get(karen.get_absolute_url()).content.decode()
    assert "Knowledge Transfer Manager, Medicines Manufacturing" in html
    assert "Karen connects companies." in html
    assert 'href="/topics/' in html and "Medicines Manufacturing</a>" in html
    assert "Pilot line opens" in html
    for hidden in ["Draft about Karen", "Scheduled", "Someone else&#x27;s news"]:
        assert hidden not in html


def test_the_profile_shows_only_the_five_latest_posts(client):
    karen = make_contact()
    posts = [make_post(contacts=[karen]) for _ in range(7)]  # newest first by construction
    html = client.get(karen.get_absolute_url()).content.decode()
    assert [p.title in html for p in posts] == [True] * 5 + [False] * 2


def test_someone_who_moved_on_is_gone_and_points_to_their_topics_other_contacts(client):
    topic = make_topic(name="Medicines Manufacturing")
    gone = make_contact(name="Former Lead", is_active=False, topics=[topic])
    make_contact(name="Karen Wilkinson", topics=[topic])
    make_contact(name="Unrelated Person")
    response = client.get(gone.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 410  # gone for good, so search engines drop the page
    assert "Former Lead has moved on" in html
    assert "Karen Wilkinson" in html and "Unrelated Person" not in html
    assert 'name="message"' not in html  # no form to write to them


def test_without_topic_colleagues_the_general_enquiries_contact_is_named(client, settings):
    settings.CONTACTS_GENERAL_ENQUIRIES = "general-enquiries"
    make_contact(name="General Enquiries Team", slug="general-enquiries")
    gone = make_contact(name="Former Lead", is_active=False)
    html = client.get(gone.get_absolute_url()).content.decode()
    assert "For general enquiries, please contact" in html
    assert 'href="/contacts/general-enquiries/"' in html


def test_with_nobody_to_name_the_page_points_to_the_directory(client):
    gone = make_contact(name="Former Lead", is_active=False)
    html = client.get(gone.get_absolute_url()).content.decode()
    assert "contacts directory</a>" in html


def test_an_unknown_contact_is_a_404(client):
    assert client.get("/contacts/nobody/").status_code == 404


def test_the_profile_with_its_form_is_the_same_page_for_every_reader(client, settings):
    # No per-reader token in it (the form is protected by Fetch Metadata, and its one-time
    # token is issued on the POST), so any cache may keep and share it.
    settings.FRONT_CACHE_SECONDS = 600
    url = make_contact().get_absolute_url()
    first, second = client.get(url), Client().get(url)
    assert first.content == second.content
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert re.search(r'name="token"(?! value)', first.content.decode())
    assert "public" in second["Cache-Control"] and not second.cookies


def test_names_and_bios_are_escaped(client):
    contact = make_contact(name="<script>alert(1)</script>", bio="<img src=x onerror=alert(1)>")
    html = client.get(contact.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_there_is_no_thank_you_page_for_someone_who_has_moved_on(client):
    gone = make_contact(is_active=False)
    assert client.get(f"/contacts/{gone.slug}/thanks/").status_code == 404
