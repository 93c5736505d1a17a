"""Paging through the news list by key: Older, Newer, Newest and Oldest links, and their edges."""

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from news.models import Post
from tests.factories import make_post, make_topic

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _posts(count, **fields):
    """`count` live posts, "Post 00" the oldest, a day apart."""
    start = datetime(2020, 1, 1, 9, tzinfo=LONDON)
    return [
        make_post(title=f"Post {n:02}", publish_at=start + timedelta(days=n), **fields)
        for n in range(count)
    ]


def _titles(response):
    return [post.title for post in response.context["post_list"]]


def _link(response, text):
    """The address of the pagination link reading `text`, or None."""
    nav = re.search(r'<nav class="pagination".*?</nav>', response.content.decode(), re.S)
    found = nav and re.search(rf'<a href="([^"]*)"[^>]*>{text}</a>', nav.group(0))
    return html.unescape(found.group(1)) if found else None


def _follow(client, response, text):
    return client.get(f"/news/{_link(response, text)}")


def test_older_and_newer_links_walk_the_list_without_gaps_or_repeats(client):
    _posts(25)
    first = client.get("/news/")
    assert _titles(first) == [f"Post {n:02}" for n in range(24, 14, -1)]
    assert _link(first, "Newer") is None and _link(first, "Newest") is None
    second = _follow(client, first, "Older")
    assert _titles(second) == [f"Post {n:02}" for n in range(14, 4, -1)]
    third = _follow(client, second, "Older")
    assert _titles(third) == [f"Post {n:02}" for n in range(4, -1, -1)]
    assert _link(third, "Older") is None and _link(third, "Oldest") is None
    assert _titles(_follow(client, third, "Newer")) == _titles(second)
    assert _titles(_follow(client, second, "Newer")) == _titles(first)
    assert _titles(_follow(client, third, "Newest")) == _titles(first)


def test_the_oldest_link_shows_the_oldest_posts(client):
    _posts(25)
    last = _follow(client, client.get("/news/"), "Oldest")
    assert _link(client.get("/news/"), "Oldest") == "?page=last"
    assert _titles(last) == [f"Post {n:02}" for n in range(9, -1, -1)]
    assert _link(last, "Older") is None
    assert _titles(_follow(client, last, "Newer")) == [f"Post {n:02}" for n in range(19, 9, -1)]


def test_the_links_keep_the_filters(client):
    topic = make_topic(slug="hydrogen")
    _posts(12, topics=[topic])
    _posts(3)  # other news, not in the topic
    first = client.get("/news/?topic=hydrogen")
    assert len(_titles(first)) == 10
    assert _link(first, "Older").startswith("?topic=hydrogen&before=")
    assert _link(first, "Oldest") == "?topic=hydrogen&page=last"
    assert len(_titles(_follow(client, first, "Older"))) == 2


def test_a_post_removed_between_two_requests_skips_nothing(client):
    posts = _posts(25)
    first = client.get("/news/")
    # The post the Older link starts after is taken down before the reader follows it.
    Post.objects.filter(pk=posts[15].pk).delete()
    assert _titles(_follow(client, first, "Older")) == [f"Post {n:02}" for n in range(14, 4, -1)]


def test_a_shared_link_shows_the_same_posts_after_more_are_published(client):
    _posts(25)
    older = _link(client.get("/news/"), "Older")
    before = _titles(client.get(f"/news/{older}"))
    make_post(title="Breaking news")
    assert _titles(client.get(f"/news/{older}")) == before


def test_a_link_past_the_end_is_404(client):
    _posts(3)
    assert client.get("/news/?before=2001-01-01T00:00:00.000000Z~1").status_code == 404


@pytest.mark.parametrize(
    "query",
    ["before=yesterday", "after=2021-10-14T09:00:00.000000Z~x", "before=2021-13-01T00:00:00.000000Z~1",
     "page=2", "page=last&before=2021-10-14T09:00:00.000000Z~1"],
)  # fmt: skip
def test_a_broken_page_link_is_a_clear_400(client, query):
    _posts(3)
    response = client.get(f"/news/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "page link is broken" in page or "no longer numbered" in page


@pytest.mark.parametrize("count", [12, 40])
@pytest.mark.parametrize("where", ["", "Older", "Oldest"])
def test_every_page_of_the_list_has_the_same_query_budget(
    client, django_assert_max_num_queries, count, where
):
    topic = make_topic(slug="t")
    _posts(count, topics=[topic, make_topic()])
    first = client.get("/news/?topic=t")
    path = f"/news/{_link(first, where)}" if where else "/news/?topic=t"
    # years, topics for the filter (and the chosen one), the page, whether there is more
    # beyond it, the page's topics. Never a count.
    with django_assert_max_num_queries(6):
        response = client.get(path)
    assert response.status_code == 200 and response.context["post_list"]
