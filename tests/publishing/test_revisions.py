"""Revisions: every admin save keeps a version; editors compare, restore and recover."""

import re

import pytest
from django.urls import reverse
from reversion.models import Version

from news.models import Post
from tests.factories import admin_post_data, form_values, make_post, make_staff, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def ed(client):
    user = make_staff("ed", groups=["Editors"])
    client.force_login(user)
    return user


def _save(client, post, **changes):
    response = client.post(
        reverse("admin:news_post_change", args=[post.pk]), admin_post_data(post, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()


def test_each_admin_save_keeps_a_version_with_who_and_when(client, ed):
    post = make_post(title="First")
    _save(client, post, title="Second")
    _save(client, post, title="Third")
    versions = Version.objects.get_for_object(post)
    assert versions.count() == 2
    assert {v.revision.user for v in versions} == {ed}
    history = client.get(reverse("admin:news_post_history", args=[post.pk])).content.decode()
    assert re.search(r"<td>\s*ed\s*</td>", history)
    assert 'type="submit" value="compare"' in history


def test_an_editor_compares_two_versions(client, ed):
    post = make_post(title="Before")
    _save(client, post, body="<p>Old paragraph.</p>")
    _save(client, post, body="<p>New paragraph.</p>")
    old, new = Version.objects.get_for_object(post).order_by("pk")
    response = client.get(
        reverse("admin:news_post_compare", args=[post.pk]),
        {"version_id1": old.pk, "version_id2": new.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<del>Old</del><ins>New</ins> paragraph" in page


def test_an_editor_restores_an_earlier_version_of_a_draft_with_its_topics(client, ed):
    # (A live item's old version becomes its unpublished changes: test_working_copy.py.)
    net_zero, space = make_topic(name="Net Zero"), make_topic(name="Space")
    post = make_post(title="The right title", topics=[net_zero], status="draft", publish_at=None)
    _save(client, post, title="The right title", topics=[net_zero.pk])
    _save(client, post, title="A wrong title", topics=[space.pk])
    first = Version.objects.get_for_object(post).order_by("pk").first()
    url = reverse("admin:news_post_revision", args=[post.pk, first.pk])
    form_page = client.get(url)
    assert "The right title" in form_page.content.decode()
    assert client.post(url, form_values(form_page)).status_code == 302
    post.refresh_from_db()
    assert post.title == "The right title"
    assert list(post.topics.all()) == [net_zero]


def test_an_editor_recovers_a_deleted_post(client, ed):
    post = make_post(title="Deleted by mistake")
    _save(client, post, title="Deleted by mistake")
    client.post(reverse("admin:news_post_delete", args=[post.pk]), {"post": "yes"})
    assert not Post.objects.exists()
    recover_list = client.get(reverse("admin:news_post_recoverlist")).content.decode()
    assert "Deleted by mistake" in recover_list
    version = Version.objects.get_deleted(Post).get()
    url = reverse("admin:news_post_recover", args=[version.pk])
    form_page = client.get(url)
    assert client.post(url, form_values(form_page)).status_code == 302
    assert Post.objects.get().title == "Deleted by mistake"


def test_two_editors_saving_one_after_the_other_both_stay_in_the_history(client):
    # (Every kind of save refused over a colleague's: test_edit_conflicts.py.)
    post = make_post(title="Shared", standfirst="Original standfirst.")
    alice, bob = make_staff("alice", groups=["Editors"]), make_staff("bob", groups=["Editors"])
    client.force_login(bob)
    change_url = reverse("admin:news_post_change", args=[post.pk])
    bobs_form = form_values(client.get(change_url))  # Bob opens the form first...
    client.force_login(alice)
    _save(client, post, standfirst="Alice's correction.")  # ...Alice saves...
    client.force_login(bob)
    bobs_form["title"] = "Bob's new title"
    response = client.post(
        change_url, bobs_form, follow=True
    )  # ...then Bob saves the form he opened before Alice's change.
    page = response.content.decode()
    assert "alice saved this post" in page and "Nothing was saved" in page  # Bob is told at once
    bobs_form["edit_base"] = response.context["adminform"].form["edit_base"].value()
    bobs_form["standfirst"] = "Alice's correction."  # he merges her change by hand
    assert client.post(change_url, bobs_form).status_code == 302
    versions = Version.objects.get_for_object(post).order_by("pk")
    assert [v.revision.user.username for v in versions] == ["alice", "bob"]
    assert versions[0].field_dict["standfirst"] == "Alice's correction."
    assert versions[1].field_dict["title"] == "Bob's new title"
    assert versions[1].field_dict["standfirst"] == "Alice's correction."
