"""load_demo's funding opportunities: one of each state around today, one on the seed article's topic hub."""

import io

import pytest
from django.core.management import call_command

from ktnsite.demo import content
from news.models import Post
from opportunities.deadlines import State
from opportunities.models import Opportunity

pytestmark = pytest.mark.django_db


def test_the_demo_has_calls_in_every_state_and_one_on_the_seed_articles_hub(client):
    call_command("load_demo", stdout=io.StringIO())
    opportunities = list(Opportunity.objects.live())
    assert len(opportunities) == 6
    states = {item.state() for item in opportunities}
    assert states >= {State.OPEN, State.CLOSING_SOON, State.UPCOMING, State.CLOSED}
    assert any(item.state_line.startswith("Closes in 3 days") for item in opportunities)
    seed = Post.objects.get(slug=content.SEED_POST_SLUG)
    hub = client.get(seed.topics.first().get_absolute_url()).content.decode()
    assert "Medicines manufacturing innovation fund" in hub
