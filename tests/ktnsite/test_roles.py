"""The Editors group: runs the content, publishes, and never touches accounts."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from news.models import Post
from publishing.models import Status
from publishing.services import working_copy_find
from tests.factories import admin_post_data, make_post, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors_client(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


@pytest.fixture
def writer_client(client):
    """Staff who may write and change posts but hold no publishing right."""
    client.force_login(make_staff("writer", perms=["add_post", "change_post", "view_post"]))
    return client


def test_the_editors_group_exists_after_migrate():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    for model in ["post", "report", "contact", "topic"]:
        assert {f"add_{model}", f"change_{model}", f"delete_{model}"} <= codenames
    assert {"publish_post", "publish_report"} <= codenames
    assert {"view_enquiry", "change_enquiry", "view_subscriber", "delete_subscriber"} <= codenames
    assert {"view_delivery", "view_topicaudience"} <= codenames
    assert not {"change_user", "add_group", "change_permission"} & codenames


@pytest.mark.parametrize(
    "url",
    [
        "admin:news_post_changelist",
        "admin:news_post_add",
        "admin:reports_report_add",
        "admin:contacts_contact_add",
        "admin:topics_topic_add",
        "admin:contacts_enquiry_changelist",
        "admin:mailinglist_subscriber_changelist",
        "admin:mailinglist_delivery_changelist",
        "admin:mailinglist_topicaudience_changelist",
    ],
)
def test_an_editor_can_open_the_content_screens(editors_client, url):
    assert editors_client.get(reverse(url)).status_code == 200


@pytest.mark.parametrize(
    "url", ["admin:auth_user_changelist", "admin:auth_group_changelist", "admin:auth_user_add"]
)
def test_an_editor_cannot_touch_users_or_groups(editors_client, url):
    assert editors_client.get(reverse(url)).status_code == 403


def test_an_editor_can_delete_a_post(editors_client):
    post = make_post()
    url = reverse("admin:news_post_delete", args=[post.pk])
    assert editors_client.post(url, {"post": "yes"}).status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()


def test_an_editor_can_publish_through_the_form(editors_client):
    response = editors_client.post(
        reverse("admin:news_post_add"), admin_post_data(status=Status.PUBLISHED)
    )
    assert response.status_code == 302
    assert Post.objects.get().is_live


def test_a_writer_without_the_publish_right_cannot_publish_through_the_form(writer_client):
    response = writer_client.post(
        reverse("admin:news_post_add"), admin_post_data(status=Status.PUBLISHED)
    )
    assert "You do not have permission to publish" in response.content.decode()
    assert not Post.objects.exists()


def test_a_writer_can_still_save_a_draft_and_edit_a_published_post(writer_client):
    assert writer_client.post(reverse("admin:news_post_add"), admin_post_data()).status_code == 302
    live = make_post(title="Live")
    response = writer_client.post(
        reverse("admin:news_post_change", args=[live.pk]), admin_post_data(live, title="Fixed")
    )
    assert response.status_code == 302
    live.refresh_from_db()
    # The edit is kept as unpublished changes for a publisher; readers still see "Live".
    assert live.title == "Live" and live.is_live
    assert working_copy_find(item=live).fields["title"] == "Fixed"


def test_a_writer_cannot_publish_with_the_bulk_action(writer_client):
    draft = make_post(status=Status.DRAFT)
    response = writer_client.post(
        reverse("admin:news_post_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "You do not have permission to publish" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_bulk_publish_makes_drafts_live_and_keeps_future_ones_scheduled(editors_client):
    draft = make_post(status=Status.DRAFT)
    future = make_post(status=Status.DRAFT, publish_at=timezone.now() + timedelta(days=3))
    editors_client.post(
        reverse("admin:news_post_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk, future.pk]},
    )
    draft.refresh_from_db()
    future.refresh_from_db()
    assert draft.is_live
    assert future.state_label == "Scheduled"


def test_bulk_unpublish_takes_posts_off_the_site(editors_client, client):
    live = make_post(title="Going away")
    editors_client.post(
        reverse("admin:news_post_changelist"),
        {"action": "unpublish_selected", "_selected_action": [live.pk]},
    )
    editors_client.logout()
    assert client.get(live.get_absolute_url()).status_code == 404


def test_syncing_the_group_again_keeps_it_and_leaves_the_app_registry_alone():
    from django.apps import apps

    from ktnsite.roles import editors_group_sync

    before = {config.label: config.models_module for config in apps.get_app_configs()}
    count = Group.objects.get(name="Editors").permissions.count()
    editors_group_sync(apps)
    assert {config.label: config.models_module for config in apps.get_app_configs()} == before
    assert Group.objects.get(name="Editors").permissions.count() == count
