"""Bad values in an admin list's address answer like any invalid filter (issue 22.5): the
list comes back with Django's "?e=1" notice, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_image, make_post, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("value", ["abc", "1 OR 1=1", "-1", "99999999999999999999999", "١"])
def test_the_image_librarys_topic_filter_refuses_what_is_not_a_topic(editor_client, value):
    make_image()
    make_topic()  # the filter is offered once there is a topic
    url = reverse("admin:library_image_changelist")
    response = editor_client.get(url, {"topic": value})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    assert editor_client.get(url, {"topic": value, "e": "1"}).status_code == 200


def test_the_image_librarys_topic_filter_still_filters(editor_client):
    topic = make_topic()
    url = reverse("admin:library_image_changelist")
    response = editor_client.get(url, {"topic": str(topic.pk)})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("news_post", "publish_at"),
        ("reports_report", "publish_at"),
        ("news_postchange", "changed_at"),
        ("contacts_enquiry", "created_at"),
        ("mailinglist_subscriber", "created_at"),
    ],
)
@pytest.mark.parametrize(
    "params",
    [
        {"__year": "99999999999"},
        {"__year": "9999"},  # its next year does not exist
        {"__year": "0"},
        {"__year": "2024", "__month": "13"},
        {"__year": "2024", "__month": "99999999999999999999"},
        {"__year": "2024", "__month": "2", "__day": "30"},
        {"__year": "x"},
    ],
    ids=lambda params: "-".join(params.values()),
)
def test_an_impossible_date_in_a_date_hierarchy_is_an_invalid_filter(
    editor_client, model, field, params
):
    make_post()
    url = reverse(f"admin:{model}_changelist")
    response = editor_client.get(url, {f"{field}{key}": value for key, value in params.items()})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_a_real_year_still_narrows_the_list(editor_client):
    post = make_post(title="Found by its year")
    url = reverse("admin:news_post_changelist")
    response = editor_client.get(url, {"publish_at__year": post.publish_at.year})
    assert response.status_code == 200 and "Found by its year" in response.content.decode()
