"""Feeds of open and upcoming opportunities, read as a feed reader reads them."""

from datetime import timedelta

import feedparser
import pytest

from tests.factories import make_opportunity, make_topic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("suffix", "shown"),
    # RSS readers render the description as HTML: escaped, it shows the tags as typed.
    [("", "&lt;b&gt;Bold&lt;/b&gt; claims"), ("atom/", "<b>Bold</b> claims")],
)
def test_the_feed_lists_open_and_upcoming_calls_with_their_deadline(client, suffix, shown):
    make_opportunity(title="Open call", standfirst="<b>Bold</b> claims")
    make_opportunity(title="Soon open", opens_in=timedelta(days=3), closes_in=timedelta(days=30))
    make_opportunity(title="Gone", opens_in=-timedelta(days=30), closes_in=-timedelta(days=1))
    feed = feedparser.parse(client.get(f"/feeds/opportunities/{suffix}").content)
    titles = {entry.title for entry in feed.entries}
    assert titles == {"Open call", "Soon open"}
    entry = next(entry for entry in feed.entries if entry.title == "Open call")
    assert entry.summary.startswith("Closes ")
    assert shown in entry.summary  # shown as typed, never as markup


def test_a_topic_feed_lists_only_that_topics_calls(client):
    topic = make_topic(slug="space")
    make_opportunity(title="Space call", topics=[topic])
    make_opportunity(title="Other call")
    feed = feedparser.parse(client.get("/feeds/topics/space/opportunities/atom/").content)
    assert [entry.title for entry in feed.entries] == ["Space call"]
    assert client.get("/feeds/topics/no-such/opportunities/").status_code == 404
