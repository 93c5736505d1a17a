"""Preview of what is on the screen: the form's unsaved content through the reader's template,
under a "Preview" banner, with nothing saved."""

import pytest
from django.test import Client
from django.urls import reverse

from news.models import Post
from publishing.models import Status
from tests.factories import admin_post_data, make_post, make_staff, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def ed():
    client = Client()
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


def preview_url(post=None):
    if post is None:
        return reverse("admin:news_post_preview")
    return reverse("admin:news_post_preview", args=[post.pk])


def test_a_live_post_s_unsaved_changes_are_previewed_and_not_saved(ed):
    old, new = make_topic(name="Old topic"), make_topic(name="Brand new topic")
    post = make_post(title="Stored title", topics=[old])
    response = ed.post(
        preview_url(post),
        admin_post_data(post, title="Typed but not saved", topics=[new.pk]),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Preview.</strong>" in page
    assert "Typed but not saved" in page
    assert f'href="{new.get_absolute_url()}"' in page
    assert f'href="{old.get_absolute_url()}"' not in page
    assert "no-cache" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
    post.refresh_from_db()
    assert post.title == "Stored title" and list(post.topics.all()) == [old]


def test_a_new_post_never_saved_can_be_previewed(ed):
    data = admin_post_data(title="A first draft", slug="", body="<p>Words typed a minute ago.</p>")
    response = ed.post(preview_url(), data)
    assert response.status_code == 200
    assert "Words typed a minute ago." in response.content.decode()
    assert not Post.objects.exists()


def test_the_change_form_offers_preview_in_a_new_tab(ed):
    post = make_post(status=Status.DRAFT)
    page = ed.get(reverse("admin:news_post_change", args=[post.pk])).content.decode()
    assert f'formaction="{preview_url(post)}" formtarget="_blank"' in page


def test_preview_needs_a_post_from_staff_who_may_change_it(client, ed):
    post = make_post()
    assert ed.get(preview_url(post)).status_code == 405
    assert client.post(preview_url(post), admin_post_data(post)).status_code == 302  # log in
    reader = Client()
    reader.force_login(make_staff("viewer", perms=["view_post"]))
    assert reader.post(preview_url(post), admin_post_data(post)).status_code == 403


def test_script_typed_into_the_body_does_not_run_in_the_preview(ed):
    data = admin_post_data(body='<p>Fine</p><script>alert("x")</script>')
    page = ed.post(preview_url(), data).content.decode()
    assert 'alert("x")' not in page
