"""The sitemap and robots.txt: every live page for crawlers, nothing unpublished."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from publishing.models import Status
from tests.factories import make_contact, make_opportunity, make_post, make_report, make_topic

pytestmark = pytest.mark.django_db
FUTURE = timezone.now() + timedelta(days=365)

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    return {
        url.find("s:loc", NS).text: getattr(url.find("s:lastmod", NS), "text", None)
        for url in root.findall("s:url", NS)
    }


def test_the_sitemap_lists_live_posts_reports_contacts_topics_and_list_pages(client):
    topic = make_topic()
    post, report, contact = make_post(), make_report(), make_contact()
    entries = _entries(client)
    for item in (post, report, contact, topic):
        assert settings.SITE_URL + item.get_absolute_url() in entries
    for path in ("/", "/news/", "/reports/", "/contacts/"):
        assert settings.SITE_URL + path in entries


def test_posts_and_reports_carry_the_date_readers_see(client):
    # Publication here; a major change moves it, a save does not (tests/news/test_machine_dates.py).
    post, report = make_post(), make_report()
    entries = _entries(client)
    for item in (post, report):
        assert entries[settings.SITE_URL + item.get_absolute_url()] == (
            timezone.localdate(item.publish_at).isoformat()
        )


def test_drafts_scheduled_items_and_inactive_contacts_are_not_in_the_sitemap(client):
    hidden = [
        make_post(status=Status.DRAFT),
        make_post(publish_at=FUTURE),
        make_report(status=Status.DRAFT),
        make_contact(is_active=False),
    ]
    entries = _entries(client)
    for item in hidden:
        assert settings.SITE_URL + item.get_absolute_url() not in entries


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines


OLD_KINDS = ("post", "report", "contact")


@pytest.mark.parametrize("count", [1, 10])
def test_the_sitemap_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    for _ in range(count):
        make_post(topics=[make_topic()])
        make_contact()
        make_opportunity()
    # A count and a page for each kind of item (site pages too), and "last changed" dates:
    # 12 for posts, reports and contacts, and up to three (a date, a count, a page) for each
    # other type declared with a sitemap (publishing.registry).
    from publishing.registry import content_types

    others = [ct for ct in content_types() if ct.sitemap and ct.kind not in OLD_KINDS]
    with django_assert_max_num_queries(12 + 3 * len(others)):
        assert client.get("/sitemap.xml").status_code == 200
