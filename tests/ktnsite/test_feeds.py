"""RSS and Atom feeds of news, for everything and per topic, parsed as a feed reader would."""

from datetime import timedelta

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone

from publishing.models import Status
from tests.factories import add_hero_image, make_post, make_topic

pytestmark = pytest.mark.django_db
FUTURE = timezone.now() + timedelta(days=365)

FEEDS = ["/feeds/news/", "/feeds/news/atom/"]


def _parse(client, path):
    response = client.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("path", FEEDS)
def test_the_news_feed_lists_live_posts_with_title_summary_date_and_link(client, path):
    post = make_post(title="A very long title: " + "word " * 30, standfirst="What it is about.")
    entry = _parse(client, path).entries[0]
    assert entry.title == post.title.strip()
    assert entry.summary == "What it is about."
    assert entry.link == settings.SITE_URL + post.get_absolute_url()
    assert entry.published_parsed[:3] == post.publish_at.utctimetuple()[:3]


@pytest.mark.parametrize("path", FEEDS)
def test_drafts_and_scheduled_posts_are_not_in_the_feed(client, path):
    make_post(title="Draft", status=Status.DRAFT)
    make_post(title="Later", publish_at=FUTURE)
    make_post(title="Live")
    assert [e.title for e in _parse(client, path).entries] == ["Live"]


@pytest.mark.parametrize("path", FEEDS)
def test_the_hero_image_is_an_enclosure(client, path):
    post = add_hero_image(make_post())
    enclosure = _parse(client, path).entries[0].enclosures[0]
    assert enclosure.href == settings.SITE_URL + post.hero_image.file.url
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == post.hero_image.file.size


@pytest.mark.parametrize("suffix", ["", "atom/"])
def test_a_topic_feed_has_only_that_topics_posts(client, suffix):
    space, food = make_topic(name="Space", slug="space"), make_topic(slug="food")
    make_post(title="Rocket", topics=[space])
    make_post(title="Bread", topics=[food])
    feed = _parse(client, f"/feeds/topics/space/{suffix}")
    assert [e.title for e in feed.entries] == ["Rocket"]
    assert "Space" in feed.feed.title


def test_an_unknown_topic_feed_is_404(client):
    assert client.get("/feeds/topics/no-such-topic/").status_code == 404


def test_pages_advertise_the_news_feeds(client):
    html = client.get("/news/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/feeds/news/atom/"' in html


def test_a_topic_hub_advertises_its_own_feed(client):
    topic = make_topic(slug="net-zero")
    html = client.get(topic.get_absolute_url()).content.decode()
    assert 'type="application/rss+xml" title="' in html
    assert 'href="/feeds/topics/net-zero/"' in html


@pytest.mark.parametrize("count", [1, 10])
def test_the_feed_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    topic = make_topic()
    for _ in range(count):
        make_post(topics=[topic])
    # The syndication framework looks up the current Site (django.contrib.sites, installed for
    # slug redirects) once per process and caches it; the budget is for every request after.
    client.get("/feeds/news/")
    with django_assert_max_num_queries(2):
        assert client.get("/feeds/news/").status_code == 200


HOSTILE = '<img src=x onerror="alert(1)"> Funding & more'


def _parse_raw(client, path):
    """As a feed reader that trusts the feed's declared types: no sanitising of its own."""
    response = client.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content, sanitize_html=False)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_markup_in_a_standfirst_reaches_an_atom_reader_only_as_text(client):
    make_post(standfirst=HOSTILE)
    entry = _parse_raw(client, "/feeds/news/atom/").entries[0]
    assert entry.summary_detail.type == "text/plain"
    assert entry.summary == HOSTILE  # shown as typed, characters and all


def test_markup_in_a_standfirst_reaches_an_rss_reader_escaped(client):
    make_post(standfirst=HOSTILE)
    entry = _parse_raw(client, "/feeds/news/").entries[0]
    # RSS descriptions are HTML to a reader: the markup arrives as escaped text.
    assert "<img" not in entry.summary
    assert entry.summary == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Funding &amp; more"


@pytest.mark.parametrize("path", FEEDS)
def test_feeds_carry_the_full_sanitised_body_as_html(client, path):
    post = make_post(body="<p>Full story with <a href='/reports/x/'>the report</a>.</p>")
    # A row written around the sanitiser (an old import, SQL) must still arrive inert.
    type(post).objects.filter(pk=post.pk).update(
        body=post.body + '<script>alert(1)</script><p onclick="alert(2)">Tail</p>'
    )
    entry = _parse_raw(client, path).entries[0]
    content = entry.content[0]
    assert content.type == "text/html"
    assert "Full story with" in content.value and "Tail" in content.value
    assert "<script" not in content.value and "onclick" not in content.value
    assert f'href="{settings.SITE_URL}/reports/x/"' in content.value
    assert entry.summary == post.standfirst  # the summary is still there beside it


def test_the_feed_reads_bodies_in_one_query_whatever_its_length(
    client, django_assert_max_num_queries
):
    for _ in range(5):
        make_post()
    with django_assert_max_num_queries(3):
        assert client.get("/feeds/news/").status_code == 200
