"""Caches never outlive an opportunity's next change of state, and its pages name what they show."""

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import make_opportunity, make_topic
from tests.fault_services import RedisServer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def front_cache(settings):
    settings.FRONT_CACHE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 60


def s_maxage(response):
    return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))


@pytest.mark.parametrize(
    ("dates", "seconds"),
    [
        ({"opens_in": timedelta(seconds=100)}, 100),  # it opens
        ({"closes_in": timedelta(seconds=200)}, 200),  # it closes
        ({"closes_in": timedelta(days=7, seconds=300)}, 300),  # its last week begins
    ],
)
def test_no_shared_cache_keeps_the_finder_past_the_next_change_of_state(dates, seconds):
    make_opportunity(**dates)
    response = Client().get("/opportunities/")
    assert seconds - 5 <= s_maxage(response) <= seconds


def test_the_finder_and_the_page_carry_their_keys():
    topic = make_topic(slug="quantum")
    opportunity = make_opportunity(topics=[topic])
    finder = Client().get("/opportunities/")
    assert "opportunities" in finder["Surrogate-Key"].split()
    page = Client().get(opportunity.get_absolute_url())
    assert f"opportunity-{opportunity.pk}" in page["Surrogate-Key"].split()


@pytest.fixture
def redis_cache(settings):
    """The shared cache in a redis-server of this test's own, with production's timeouts."""
    server = RedisServer()
    settings.CACHES = {
        **django_settings.CACHES,
        "default": {
            "BACKEND": "ktnsite.cache.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        },
    }
    yield server
    server.stop()


def test_the_finder_keeps_its_filters_in_the_cache_and_works_without_it(
    redis_cache, django_assert_max_num_queries
):
    make_opportunity(funder="UKRI", topics=[make_topic(name="Quantum", slug="quantum")])
    client = Client()
    client.get("/opportunities/")
    # The funders and topics offered come from the cache: the page is the only query.
    with django_assert_max_num_queries(1):
        page = client.get("/opportunities/?topic=quantum").content.decode()
    assert '<option value="UKRI">UKRI</option>' in page and "1 opportunity" in page
    redis_cache.stop()
    response = client.get("/opportunities/?topic=quantum")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<option value="UKRI">UKRI</option>' in page and "1 opportunity" in page
    assert client.get("/opportunities/?topic=nothing").status_code == 400
