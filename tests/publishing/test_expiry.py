"""Expiry: at its take-down time an item leaves every list, feed, sitemap and search result by
itself (no cron, no save), and its address answers 410 Gone with a short page."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_post, make_report, make_staff, make_topic

pytestmark = pytest.mark.django_db


def wait_until(moment):
    time.sleep(max(0, (moment - timezone.now()).total_seconds()) + 0.05)


SURFACES = ["/", "/news/", "/feeds/news/", "/feeds/news/atom/", "/sitemap.xml", "/reports/"]


def test_an_item_leaves_every_public_surface_at_its_take_down_time(client):
    topic = make_topic(slug="aquatic")
    later = timezone.now() + timedelta(hours=1)
    post = make_post(
        title="Zebrafish trial", slug="zebrafish-trial", topics=[topic], expire_at=later
    )
    report = make_report(title="Zebrafish report", slug="zebrafish-report", expire_at=later)
    staying = make_post(title="Stays up", topics=[topic])
    pages = [*SURFACES, topic.get_absolute_url(), "/search/?q=zebrafish"]
    marks = ["Zebrafish trial", "zebrafish-trial", "Zebrafish report", "zebrafish-report"]
    for path in pages:
        page = client.get(path).content.decode()
        assert any(mark in page for mark in marks), path
    assert client.get(post.get_absolute_url()).status_code == 200

    # Due in a second (set without a save signal, as a slow machine needs the hour above to
    # look at every page first); then nothing happens but the clock moving on.
    going = timezone.now() + timedelta(seconds=1)
    type(post).objects.filter(pk=post.pk).update(expire_at=going)
    type(report).objects.filter(pk=report.pk).update(expire_at=going)
    wait_until(going)

    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not any(mark in response.content.decode() for mark in marks), path
    assert staying.title in client.get("/news/").content.decode()
    for url in [post.get_absolute_url(), report.get_absolute_url(), report.get_download_url()]:
        gone = client.get(url)
        assert gone.status_code == 410, url
        assert "is no longer available" in gone.content.decode()
        assert "Zebrafish" not in gone.content.decode()  # the page names nothing withdrawn


def test_an_editor_still_opens_a_taken_down_post_with_a_banner():
    post = make_post(expire_at=timezone.now() - timedelta(minutes=1))
    editor = Client()
    editor.force_login(make_staff("ed", groups=["Editors"]))
    response = editor.get(post.get_absolute_url())
    assert response.status_code == 200
    assert "This was taken down on" in response.content.decode()


def test_an_unknown_address_is_still_404_not_410(client):
    assert client.get("/news/never-existed/").status_code == 404


def test_the_admin_list_filters_taken_down_items(client):
    make_post(title="Withdrawn one", expire_at=timezone.now() - timedelta(minutes=1))
    make_post(title="Still live one")
    client.force_login(make_staff("ed", groups=["Editors"]))
    page = client.get("/admin/news/post/?state=expired").content.decode()
    assert "Withdrawn one" in page and "Still live one" not in page
    assert "Taken down" in page
