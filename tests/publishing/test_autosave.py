"""Autosave: the change form's unsaved content is kept on the server per editor and item,
offered back on the next visit, and done with once the item is saved."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from publishing.models import Autosave
from tests.factories import admin_post_data, make_contact, make_post, make_report, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def ed():
    client = Client()
    client.user = make_staff("ed", groups=["Editors"])
    client.force_login(client.user)
    return client


def autosave_url(post=None):
    args = [post.pk] if post else []
    return reverse("admin:news_post_autosave", args=args)


def test_unsaved_changes_are_kept_and_offered_back(ed):
    post = make_post(title="Stored")
    response = ed.post(autosave_url(post), admin_post_data(post, title="Typed, not saved"))
    assert response.status_code == 200 and "saved_at" in response.json()
    kept = Autosave.objects.get()
    assert kept.data["title"] == ["Typed, not saved"] and kept.user == ed.user
    # The version the typing started from is kept (a restore over a newer save is refused).
    assert "csrfmiddlewaretoken" not in kept.data and "edit_base" in kept.data
    post.refresh_from_db()
    assert post.title == "Stored"  # nothing of the item changed
    page = ed.get(reverse("admin:news_post_change", args=[post.pk])).content.decode()
    assert "You have unsaved changes to this from" in page
    assert "Typed, not saved" in page  # in the JSON the script restores from


def test_an_add_form_is_kept_too_and_each_editor_has_their_own(ed):
    ed.post(autosave_url(), admin_post_data(title="A new one"))
    other = Client()
    other.force_login(make_staff("other", groups=["Editors"]))
    assert (
        "You have unsaved changes" not in other.get(reverse("admin:news_post_add")).content.decode()
    )
    assert "You have unsaved changes" in ed.get(reverse("admin:news_post_add")).content.decode()


def test_saving_the_item_ends_its_autosave(ed):
    post = make_post()
    ed.post(autosave_url(post), admin_post_data(post, title="Draft words"))
    ed.post(reverse("admin:news_post_change", args=[post.pk]), admin_post_data(post, title="Saved"))
    assert not Autosave.objects.exists()
    page = ed.get(reverse("admin:news_post_change", args=[post.pk])).content.decode()
    assert "You have unsaved changes" not in page


def test_an_autosave_older_than_the_item_is_not_offered(ed):
    post = make_post()
    ed.post(autosave_url(post), admin_post_data(post, title="Old draft words"))
    post.title = "A colleague saved since"
    post.save()  # updated_at moves past the autosave
    page = ed.get(reverse("admin:news_post_change", args=[post.pk])).content.decode()
    assert "You have unsaved changes" not in page


def test_discard_and_rights(ed, client):
    post = make_post()
    ed.post(autosave_url(post), admin_post_data(post))
    ed.post(autosave_url(post), {"_discard": "1"})
    assert not Autosave.objects.exists()
    assert ed.get(autosave_url(post)).status_code == 405
    assert client.post(autosave_url(post), {}).status_code == 302  # log in first
    viewer = Client()
    viewer.force_login(make_staff("viewer", perms=["view_post"]))
    assert viewer.post(autosave_url(post), {}).status_code == 403


def test_the_offer_names_the_report_and_contacts_it_would_restore(ed):
    """The form's pickers load their choices on demand: the offer carries the names of the
    autosaved report and contacts, so restoring shows them (issue 24.2)."""
    post = make_post()
    report = make_report(title="Offshore <Wind> Report")
    contact = make_contact(name="Erin Walsh")
    data = admin_post_data(post, report=report.pk, contacts=[contact.pk])
    ed.post(autosave_url(post), data)
    response = ed.get(reverse("admin:news_post_change", args=[post.pk]))
    labels = json.loads(_script(response, "autosave-labels"))
    assert labels == {
        "report": [[str(report.pk), "Offshore <Wind> Report"]],
        "contacts": [[str(contact.pk), "Erin Walsh"]],
    }
    assert "Offshore <Wind>" not in response.content.decode()  # escaped in the page


def test_an_autosaved_id_that_is_not_a_number_is_not_offered_and_breaks_nothing(ed):
    post = make_post()
    ed.post(autosave_url(post), admin_post_data(post, report="not-an-id", contacts=["x"]))
    response = ed.get(reverse("admin:news_post_change", args=[post.pk]))
    assert response.status_code == 200
    assert _script(response, "autosave-labels") == "{}"


def _script(response, script_id):
    html = response.content.decode()
    match = re.search(rf'<script id="{script_id}" type="application/json">(.*?)</script>', html)
    return match.group(1)
