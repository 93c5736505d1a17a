"""Dates machines read (JSON-LD, Open Graph, sitemap, Atom) mean what readers see: published when
"Posted on" says, modified only by a major change ("Last updated"), never by a save."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from news.models import Post
from tests.factories import admin_post_data, make_post, make_report, make_staff, make_topic

pytestmark = pytest.mark.django_db

# 08:00 UTC on 14/10/2021 is 09:00 in London (summer time): the zone shows in the offset.
PUBLISHED = datetime(2021, 10, 14, 8, 0, tzinfo=UTC)
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _json_ld(html, kind):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return next(d for d in map(json.loads, blocks) if isinstance(d, dict) and d["@type"] == kind)


def _meta(html, prop):
    found = re.search(rf'<meta property="{prop}" content="([^"]*)">', html)
    return found and found[1]


def _lastmod(client, item):
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own output
    for url in root.findall("s:url", SITEMAP):
        if url.find("s:loc", SITEMAP).text == settings.SITE_URL + item.get_absolute_url():
            return getattr(url.find("s:lastmod", SITEMAP), "text", None)
    raise AssertionError("not in the sitemap")


def _atom_updated(client, post):
    feed = feedparser.parse(client.get("/feeds/news/atom/").content)
    entry = next(e for e in feed.entries if e.link.endswith(post.get_absolute_url()))
    return datetime(*entry.updated_parsed[:6], tzinfo=UTC)


def _edit(client, post, **changes):
    response = client.post(
        reverse("admin:news_post_change", args=[post.pk]), admin_post_data(post, **changes)
    )
    assert response.status_code == 302
    post.refresh_from_db()


@pytest.fixture
def editor(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


def test_json_ld_date_published_is_the_posted_on_time_in_the_same_zone(client):
    post = make_post(publish_at=PUBLISHED)
    html = client.get(post.get_absolute_url()).content.decode()
    posted_on = re.search(r'Posted on: <time datetime="([^"]+)">14/10/2021</time>', html)[1]
    assert posted_on == "2021-10-14T09:00:00+01:00"
    assert _json_ld(html, "NewsArticle")["datePublished"] == posted_on
    assert _meta(html, "article:published_time") == posted_on


def test_a_minor_edit_changes_no_date_a_machine_reads(editor, client):
    post = make_post(publish_at=PUBLISHED, body="<p>Teh typo.</p>")
    _edit(editor, post, body="<p>The typo.</p>")
    assert post.updated_at > PUBLISHED + timedelta(days=365)  # the row was saved today
    html = client.get(post.get_absolute_url()).content.decode()
    assert "dateModified" not in _json_ld(html, "NewsArticle")
    assert _meta(html, "article:modified_time") is None
    assert _lastmod(client, post) == "2021-10-14"
    assert _atom_updated(client, post) == PUBLISHED


def test_a_major_change_is_the_modified_date_everywhere(editor, client):
    post = make_post(publish_at=PUBLISHED)
    _edit(editor, post, major_change="on", major_change_note="Corrected the funding total.")
    # To the second, as every date on the page is written (HTML's <time> allows no more).
    changed = timezone.localtime(post.major_change_at).isoformat(timespec="seconds")
    html = client.get(post.get_absolute_url()).content.decode()
    assert _json_ld(html, "NewsArticle")["dateModified"] == changed
    assert _meta(html, "article:modified_time") == changed
    assert _lastmod(client, post) == timezone.localdate(post.major_change_at).isoformat()
    assert _atom_updated(client, post) == post.major_change_at.replace(microsecond=0)
    # A typo fixed after it moves none of them.
    _edit(editor, post, body="<p>Fixed a typo.</p>")
    html = client.get(post.get_absolute_url()).content.decode()
    assert _json_ld(html, "NewsArticle")["dateModified"] == changed


def test_a_report_is_dated_by_its_publication_not_its_last_save(client):
    report = make_report(publish_at=PUBLISHED)
    report.summary = "Reworded."
    report.save()
    html = client.get(report.get_absolute_url()).content.decode()
    data = _json_ld(html, "Report")
    assert data["datePublished"] == "2021-10-14T09:00:00+01:00"
    assert "dateModified" not in data
    assert _lastmod(client, report) == "2021-10-14"


def test_a_hub_and_the_news_list_change_when_a_live_post_on_them_does(client):
    topic = make_topic()
    make_post(topics=[topic], publish_at=PUBLISHED)
    # Saved today, but not live: it must not date the hub or the list.
    make_post(topics=[topic], status="draft", publish_at=None)
    Post.objects.update(updated_at=timezone.now())
    assert _lastmod(client, topic) == "2021-10-14"
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    lastmods = {
        u.find("s:loc", SITEMAP).text: u.find("s:lastmod", SITEMAP).text
        for u in root.findall("s:url", SITEMAP)
        if u.find("s:lastmod", SITEMAP) is not None
    }
    assert lastmods[settings.SITE_URL + "/news/"] == "2021-10-14"
