"""Drafts and scheduled posts: hidden from readers, previewable by editors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from publishing.models import Status
from tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["draft", "scheduled"])
def unpublished_post(request):
    if request.param == "draft":
        return make_post(status=Status.DRAFT)
    return make_post(publish_at=timezone.now() + timedelta(days=2))


def test_an_unpublished_post_is_a_404_for_a_reader(client, unpublished_post):
    response = client.get(unpublished_post.get_absolute_url())
    assert response.status_code == 404


def test_an_unpublished_post_is_missing_from_the_lists(client, unpublished_post):
    assert unpublished_post.title not in client.get("/news/").content.decode()
    assert unpublished_post.title not in client.get("/").content.decode()


def test_an_editor_previews_an_unpublished_post_with_a_banner_and_no_caching(
    editor_client, unpublished_post
):
    response = editor_client.get(unpublished_post.get_absolute_url())
    assert response.status_code == 200
    assert "Not public." in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_staff_user_without_change_permission_cannot_preview(
    client, django_user_model, unpublished_post
):
    client.force_login(django_user_model.objects.create_user("intern", is_staff=True))
    assert client.get(unpublished_post.get_absolute_url()).status_code == 404


def test_a_live_post_has_no_banner_for_editors(editor_client):
    post = make_post()
    response = editor_client.get(post.get_absolute_url())
    assert "Not public." not in response.content.decode()


def test_an_unknown_slug_gets_the_styled_404_page(client):
    response = client.get("/news/no-such-post/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/news/"' in html
