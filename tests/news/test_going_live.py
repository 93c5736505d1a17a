"""Scheduled posts go live by themselves: no cron, no worker, no restart."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_post, make_report

pytestmark = pytest.mark.django_db


def test_a_scheduled_post_goes_live_by_itself_when_its_time_comes(client):
    post = make_post(publish_at=timezone.now() + timedelta(seconds=1))
    assert client.get(post.get_absolute_url()).status_code == 404
    # No cron: the same row becomes visible once the clock passes its time.
    post.publish_at = timezone.now() - timedelta(seconds=1)
    post.save(update_fields=["publish_at"])
    assert client.get(post.get_absolute_url()).status_code == 200


def test_a_post_whose_time_has_just_come_is_on_the_news_and_reports_lists(client):
    # Published "now", i.e. long after the server process started: the lists must not have
    # frozen the clock when their module was imported (the first requests import them).
    client.get("/news/"), client.get("/reports/")
    post = make_post(title="Just went live", publish_at=timezone.now())
    report = make_report(title="Report just out", publish_at=timezone.now())
    assert post.title in client.get("/news/").content.decode()
    assert report.title in client.get("/reports/").content.decode()
