"""Stable URLs: renaming a published post's slug keeps its old address working."""

import pytest
from django.urls import reverse

from publishing.editing import edit_token
from publishing.models import Status
from tests.factories import admin_post_data, make_contact, make_post, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors_client(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


def _rename(client, post, slug):
    response = client.post(
        reverse("admin:news_post_change", args=[post.pk]), admin_post_data(post, slug=slug)
    )
    assert response.status_code == 302
    post.refresh_from_db()


def test_the_old_address_of_a_renamed_post_redirects_permanently(editors_client, client):
    post = make_post(slug="old-name")
    _rename(editors_client, post, "new-name")
    response = client.get("/news/old-name/")
    assert response.status_code == 301
    assert response["Location"] == "/news/new-name/"
    assert client.get(response["Location"]).status_code == 200


def test_renaming_twice_sends_every_old_address_straight_to_the_newest(editors_client, client):
    post = make_post(slug="first")
    _rename(editors_client, post, "second")
    _rename(editors_client, post, "third")
    assert client.get("/news/first/")["Location"] == "/news/third/"
    assert client.get("/news/second/")["Location"] == "/news/third/"


def test_renaming_back_to_an_old_slug_does_not_loop(editors_client, client):
    post = make_post(slug="alpha")
    _rename(editors_client, post, "beta")
    _rename(editors_client, post, "alpha")
    assert client.get("/news/alpha/").status_code == 200
    assert client.get("/news/beta/")["Location"] == "/news/alpha/"


def test_renaming_a_draft_leaves_no_redirect(editors_client, client):
    post = make_post(slug="draft-name", status=Status.DRAFT)
    _rename(editors_client, post, "better-name")
    assert client.get("/news/draft-name/").status_code == 404


def test_a_renamed_contact_keeps_its_old_address(editors_client, client):
    contact = make_contact(slug="k-wilkinson")
    editors_client.post(
        reverse("admin:contacts_contact_change", args=[contact.pk]),
        {
            "name": contact.name,
            "slug": "karen-wilkinson",
            "email": contact.email,
            "edit_base": edit_token(contact),  # as the form opened now sends it
        },
    )
    assert client.get("/contacts/k-wilkinson/")["Location"] == "/contacts/karen-wilkinson/"
