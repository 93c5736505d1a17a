"""Items' addresses (publishing.addresses): filled in from a route reversed once, they must
be exactly what reverse() gives, also for a site mounted under a path."""

import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import get_script_prefix, reverse, set_script_prefix

from tests.factories import make_contact, make_post, make_report, make_topic

pytestmark = pytest.mark.django_db


def get(path, script_name=""):
    """The page through the WSGI handler, which (unlike the test client) sets the script
    prefix from SCRIPT_NAME as a server does."""
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": script_name,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    status = []
    # As Django's test client does: a request must not close the test's database connection
    # (it is inside the test's transaction), and the script prefix the handler sets for this
    # thread must not leak into the tests that follow (every reverse() would carry it).
    prefix = get_script_prefix()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(WSGIHandler()(environ, lambda s, h, *a: status.append(s)))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        set_script_prefix(prefix)
    assert status == ["200 OK"]
    return body.decode()


def test_item_addresses_are_what_reverse_gives():
    topic = make_topic(slug="advanced_materials-2")
    contact = make_contact(slug="ann-o")
    report = make_report(slug="Report-2026")
    post = make_post(slug="a", topics=[topic], contacts=[contact], report=report)
    assert post.get_absolute_url() == reverse("news:detail", kwargs={"slug": "a"})
    assert topic.get_absolute_url() == "/topics/advanced_materials-2/"
    assert contact.get_absolute_url() == reverse("contacts:detail", kwargs={"slug": "ann-o"})
    assert report.get_absolute_url() == "/reports/Report-2026/"
    assert report.get_download_url() == "/reports/Report-2026/download/"


def test_article_links_follow_the_path_the_site_is_mounted_under(settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 0  # both answers rendered, neither from the page cache
    topic = make_topic(name="Robotics", slug="robotics")
    contact = make_contact(name="Ann Other", slug="ann-other")
    report = make_report(title="Robots at work", slug="robots-at-work")
    older = make_post(title="Older robots", slug="older-robots", topics=[topic])
    post = make_post(slug="robots", topics=[topic], contacts=[contact], report=report)
    page = get("/news/robots/", script_name="/ktn")
    for address in (
        "/ktn/topics/robotics/",
        "/ktn/contacts/ann-other/",
        "/ktn/reports/robots-at-work/",
        "/ktn/reports/robots-at-work/download/",
        "/ktn/news/older-robots/",
        'href="/ktn/news/"',  # the breadcrumb to the list
    ):
        assert address in page
    # The same process serving the site at the root again links without the prefix.
    page = get("/news/robots/")
    assert "/ktn/" not in page
    assert 'href="/topics/robotics/"' in page
    assert older.get_absolute_url() == "/news/older-robots/"
    assert post.get_absolute_url() == "/news/robots/"
