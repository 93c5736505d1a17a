"""Caches never outlive an opportunity's next change of state, and its pages name what they show."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from tests.factories import make_opportunity, make_topic

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
