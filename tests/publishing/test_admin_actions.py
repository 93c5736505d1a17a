"""The change form's actions: named for what they do, shown only to those who may, and the
message after saving says what readers now see."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from news.models import Post
from publishing.models import Status
from tests.factories import admin_post_data, make_post, make_staff

pytestmark = pytest.mark.django_db

BUTTON = re.compile(r'<button type="submit" name="_publishing" value="(\w+)"[^>]*>([^<]+)</button>')


@pytest.fixture
def writer():
    client = Client()
    client.force_login(make_staff("writer", perms=["add_post", "change_post", "view_post"]))
    return client


@pytest.fixture
def publisher():
    client = Client()
    client.force_login(make_staff("publisher", groups=["Editors"]))
    return client


def buttons(client, url):
    return [
        (value, label.strip()) for value, label in BUTTON.findall(client.get(url).content.decode())
    ]


def change_url(post):
    return reverse("admin:news_post_change", args=[post.pk])


def in_a_week():
    return timezone.localtime() + timedelta(days=7)


def test_a_new_post_offers_save_draft_and_publish_to_a_publisher(publisher, writer):
    url = reverse("admin:news_post_add")
    assert buttons(publisher, url) == [("draft", "Save draft"), ("publish", "Publish")]
    assert buttons(writer, url) == [("draft", "Save draft")]


def test_a_draft_with_a_future_time_offers_to_schedule(publisher):
    week = in_a_week()
    draft = make_post(status=Status.DRAFT, publish_at=week)
    assert ("publish", f"Schedule for {week:%d/%m/%Y %H:%M}") in buttons(
        publisher, change_url(draft)
    )


def test_a_live_post_offers_publish_changes_and_unpublish_only_to_a_publisher(publisher, writer):
    live = make_post()
    assert buttons(publisher, change_url(live)) == [
        ("changes_draft", "Save changes as draft"),
        ("keep", "Publish changes"),
        ("unpublish", "Unpublish"),
    ]
    assert buttons(writer, change_url(live)) == [("changes_draft", "Save changes as draft")]


def test_a_scheduled_post_says_when_it_goes_live(publisher, writer):
    week = in_a_week()
    scheduled = make_post(publish_at=week)
    assert buttons(publisher, change_url(scheduled)) == [
        ("publish", f"Schedule for {week:%d/%m/%Y %H:%M}"),
        ("publish_now", "Publish now"),
        ("unpublish", "Unpublish"),
    ]
    # A writer's edits wait for a publisher, as on a live post (issue 22.1).
    assert buttons(writer, change_url(scheduled)) == [("changes_draft", "Save changes as draft")]


def _press(client, post, action, **fields):
    data = admin_post_data(post, **fields)
    data.pop("status", None)  # the button decides
    url = change_url(post) if post else reverse("admin:news_post_add")
    return client.post(url, {**data, "_publishing": action}, follow=True)


def test_publish_makes_it_live_and_stays_on_the_form_saying_so(publisher):
    draft = make_post(status=Status.DRAFT, publish_at=None)
    response = _press(publisher, draft, "publish")
    assert response.redirect_chain[-1][0] == change_url(draft)
    assert "Published: readers can see it now." in response.content.decode()
    assert Client().get(draft.get_absolute_url()).status_code == 200


def test_publish_with_a_future_time_schedules_and_says_when(publisher):
    week = in_a_week()
    response = _press(
        publisher, None, "publish", publish_at_0=f"{week:%d/%m/%Y}", publish_at_1=f"{week:%H:%M:%S}"
    )
    assert f"Scheduled: it goes live on {week:%d/%m/%Y %H:%M} by itself." in (
        response.content.decode()
    )
    assert Post.objects.get().is_scheduled


def test_save_draft_says_readers_cannot_see_it(writer):
    response = _press(writer, None, "draft")
    assert "Draft saved: readers cannot see it." in response.content.decode()
    assert Post.objects.get().status == Status.DRAFT


def test_publish_changes_keeps_a_live_post_live(publisher):
    live = make_post(title="Old title")
    response = _press(publisher, live, "keep", title="New title")
    assert "Changes published: readers can see them now." in response.content.decode()
    live.refresh_from_db()
    assert live.title == "New title" and live.is_live


def test_unpublish_takes_it_off_the_site(publisher):
    live = make_post()
    response = _press(publisher, live, "unpublish")
    assert "Draft saved: readers cannot see it." in response.content.decode()
    assert Client().get(live.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("action", ["publish", "unpublish", "keep"])
def test_a_writer_pressing_a_button_not_shown_to_them_is_refused(writer, action):
    post = make_post(status=Status.DRAFT if action == "publish" else Status.PUBLISHED)
    before = post.status, post.title
    response = _press(writer, post, action, title="Not for readers yet")
    assert "You do not have permission to publish posts" in response.content.decode()
    post.refresh_from_db()
    assert (post.status, post.title) == before
