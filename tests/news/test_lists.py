"""The news list: filters by topic and year, the yearly archive, pagination and empty results."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from publishing.models import Status
from tests.factories import make_post, make_topic

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _titles(response):
    return [post.title for post in response.context["post_list"]]


@pytest.fixture
def posts():
    space, food = make_topic(name="Space", slug="space"), make_topic(name="Food", slug="food")
    make_post(title="Space 2021", topics=[space], publish_at=datetime(2021, 5, 1, tzinfo=LONDON))
    make_post(title="Food 2021", topics=[food], publish_at=datetime(2021, 3, 1, tzinfo=LONDON))
    make_post(title="Space 2022", topics=[space], publish_at=datetime(2022, 2, 1, tzinfo=LONDON))
    make_post(title="Draft space 2021", topics=[space], status=Status.DRAFT,
              publish_at=datetime(2021, 6, 1, tzinfo=LONDON))  # fmt: skip


def test_the_list_can_be_filtered_by_topic(client, posts):
    assert _titles(client.get("/news/?topic=space")) == ["Space 2022", "Space 2021"]


def test_the_list_can_be_filtered_by_year(client, posts):
    assert _titles(client.get("/news/?year=2021")) == ["Space 2021", "Food 2021"]


def test_the_list_can_be_filtered_by_topic_and_year(client, posts):
    response = client.get("/news/?topic=space&year=2021")
    assert _titles(response) == ["Space 2021"]
    assert "<h1>Space news from 2021</h1>" in response.content.decode()


def test_the_archive_page_shows_one_year(client, posts):
    response = client.get("/news/archive/2021/")
    assert response.status_code == 200
    assert _titles(response) == ["Space 2021", "Food 2021"]
    assert "<h1>News from 2021</h1>" in response.content.decode()


def test_the_list_links_to_each_years_archive(client, posts):
    html = client.get("/news/").content.decode()
    assert 'href="/news/archive/2022/"' in html
    assert 'href="/news/archive/2021/"' in html


def test_an_empty_archive_year_says_so(client, posts):
    response = client.get("/news/archive/2019/")
    assert response.status_code == 200
    assert "There is no news from 2019." in response.content.decode()


def test_an_empty_filter_says_so(client, posts):
    response = client.get("/news/?topic=food&year=2022")
    assert "There is no news on Food from 2022." in response.content.decode()


@pytest.mark.parametrize("query", ["topic=no-such-topic", "year=abc", "year=1850", "year=99999"])
def test_a_bad_filter_is_a_clear_400(client, posts, query):
    response = client.get(f"/news/?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_an_impossible_archive_year_is_404(client):
    assert client.get("/news/archive/99999/").status_code == 404


@pytest.mark.parametrize("count", [1, 10])
@pytest.mark.parametrize("path", ["/news/", "/news/?topic=t&year=2020", "/news/archive/2020/"])
def test_the_news_list_has_a_fixed_query_budget_whatever_the_filter(
    client, django_assert_max_num_queries, count, path
):
    topic = make_topic(slug="t")
    for _ in range(count):
        make_post(topics=[topic, make_topic()], publish_at=datetime(2020, 6, 1, tzinfo=LONDON))
    # years, topics for the filter (and the chosen one), page, their topics.
    with django_assert_max_num_queries(6):
        response = client.get(path)
    assert len(response.context["post_list"]) == count
