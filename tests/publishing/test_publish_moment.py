"""The publish moment is real: a draft is dated when it goes live, alerted once; a backdate is
deliberate, said before saving, and never alerted beyond the alert window."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from news.models import Post
from publishing.models import Status
from tests.factories import admin_post_data, make_post, make_staff, make_topic
from tests.mailinglist.conftest import link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher_client():
    client = Client()
    client.force_login(make_staff("publisher", groups=["Editors"]))
    return client


@pytest.fixture
def confirmed_reader(smtp_server, django_capture_on_commit_callbacks):
    """A reader who signed up for a topic and confirmed from the email, as a reader does."""
    topic = make_topic(name="Medicines Manufacturing")
    reader = Client()
    with django_capture_on_commit_callbacks(execute=True):
        reader.post("/mailing-list/", {"email": "reader@example.org", "consent": "on"})
    body = smtp_server.messages[0].get_body(preferencelist=("plain",)).get_content()
    preferences = reader.post(link_in(body, "confirm"))  # its Confirm button
    reader.post(preferences.url, {"topics": [topic.pk], "frequency": "immediate"})
    smtp_server.messages.clear()
    return topic


def alerts(smtp_server, title):
    return [m for m in smtp_server.messages if m["Subject"] == title]


def test_a_draft_started_days_ago_is_dated_and_alerted_when_published(
    publisher_client, confirmed_reader, smtp_server, django_capture_on_commit_callbacks
):
    draft = make_post(
        title="Late news", status=Status.DRAFT, publish_at=None, topics=[confirmed_reader]
    )
    Post.objects.filter(pk=draft.pk).update(created_at=timezone.now() - timedelta(days=3))
    url = reverse("admin:news_post_change", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher_client.post(
            url, admin_post_data(draft, status=Status.PUBLISHED), follow=True
        )
    page = response.content.decode()
    assert "Published: readers can see it now." in page
    assert "Confirmed subscribers to its topics will be emailed an alert now." in page
    today = f"{timezone.localtime():%d/%m/%Y}"
    assert "Posted on: <time" in (
        article := Client().get(draft.get_absolute_url()).content.decode()
    )
    assert f">{today}</time>" in article
    assert [m["To"] for m in alerts(smtp_server, "Late news")] == ["reader@example.org"]

    # Saved again, unpublished and republished, swept by the scheduled command: still once.
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        publisher_client.post(url, admin_post_data(draft, title="Late news"))
        publisher_client.post(url, admin_post_data(draft, status=Status.DRAFT))
        draft.refresh_from_db()
        publisher_client.post(url, admin_post_data(draft, status=Status.PUBLISHED))
    call_command("send_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(alerts(smtp_server, "Late news")) == 1


def test_a_backdated_post_is_said_so_before_saving_and_never_alerted(
    publisher_client, confirmed_reader, smtp_server, django_capture_on_commit_callbacks
):
    draft = make_post(title="Archive piece", status=Status.DRAFT, topics=[confirmed_reader])
    url = reverse("admin:news_post_change", args=[draft.pk])
    data = admin_post_data(
        draft, status=Status.PUBLISHED, publish_at_0="14/10/2021", publish_at_1="09:00:00"
    )
    first = publisher_client.post(url, data)
    page = first.content.decode()
    assert first.status_code == 200  # not saved yet: the form asks first
    assert "This publishes it backdated to 14/10/2021 09:00" in page
    assert "Subscribers will not be alerted" in page
    assert 'name="confirm_backdate"' in page and 'type="checkbox"' in page
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        second = publisher_client.post(url, {**data, "confirm_backdate": "on"})
    assert second.status_code == 302
    call_command("send_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    draft.refresh_from_db()
    assert draft.is_live and f"{timezone.localtime(draft.publish_at):%d/%m/%Y}" == "14/10/2021"
    assert alerts(smtp_server, "Archive piece") == []


def test_a_backdate_within_the_alert_window_says_it_will_be_alerted(
    publisher_client, confirmed_reader
):
    draft = make_post(status=Status.DRAFT, topics=[confirmed_reader])
    yesterday = timezone.localtime() - timedelta(hours=20)
    response = publisher_client.post(
        reverse("admin:news_post_change", args=[draft.pk]),
        admin_post_data(
            draft,
            status=Status.PUBLISHED,
            publish_at_0=f"{yesterday:%d/%m/%Y}",
            publish_at_1=f"{yesterday:%H:%M:%S}",
        ),
    )
    assert "Confirmed subscribers to its topics will be emailed an alert" in (
        response.content.decode()
    )


def test_bulk_publishing_a_draft_without_a_time_dates_it_now(publisher_client):
    draft = make_post(status=Status.DRAFT, publish_at=None)
    publisher_client.post(
        reverse("admin:news_post_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_live
    assert timezone.now() - draft.publish_at < timedelta(seconds=5)


def test_scheduling_says_when_it_goes_live(publisher_client):
    draft = make_post(status=Status.DRAFT, publish_at=None)
    later = timezone.localtime() + timedelta(days=2)
    response = publisher_client.post(
        reverse("admin:news_post_change", args=[draft.pk]),
        admin_post_data(
            draft,
            status=Status.PUBLISHED,
            publish_at_0=f"{later:%d/%m/%Y}",
            publish_at_1=f"{later:%H:%M:%S}",
        ),
        follow=True,
    )
    assert f"Scheduled: it goes live on {later:%d/%m/%Y %H:%M} by itself." in (
        response.content.decode()
    )


def test_the_migration_empties_only_draft_times_that_were_never_chosen():
    migration = importlib.import_module("news.migrations.0007_publish_time_and_expiry")
    now = timezone.now()
    defaulted = make_post(status=Status.DRAFT, publish_at=now)  # the old default
    planned = make_post(status=Status.DRAFT, publish_at=now + timedelta(days=7))
    archive = make_post(status=Status.DRAFT, publish_at=now - timedelta(days=900))
    live = make_post(publish_at=now)
    migration.clear_unchosen_draft_times(apps, None)
    for post in (defaulted, planned, archive, live):
        post.refresh_from_db()
    assert defaulted.publish_at is None
    assert planned.publish_at and archive.publish_at and live.publish_at
