"""An event names its funding opportunity (a competition briefing): the event's page shows the
opportunity with its deadline, and the opportunity's page lists its events, without the
opportunities app importing events (publishing.backlinks)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from events.models import Event
from publishing.models import Status
from tests.events.test_admin import ADD, editor, event_form  # noqa: F401 - fixture
from tests.factories import make_contact, make_event, make_opportunity, make_post, make_topic

pytestmark = pytest.mark.django_db

DEADLINE = datetime(2031, 7, 9, 10, 0, tzinfo=UTC)  # 11am BST


def test_the_event_page_shows_its_opportunity_and_its_deadline(client, settings):
    settings.FRONT_CACHE_SECONDS = 600
    opportunity = make_opportunity(title="Smart grids competition", closes_at=DEADLINE)
    event = make_event(title="Smart grids briefing", related_opportunity=opportunity)
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert "Funding opportunity" in html
    assert f'<a href="{opportunity.get_absolute_url()}">Smart grids competition</a>' in html
    assert "Open. Deadline: " in html
    assert '<time datetime="2031-07-09T11:00:00+01:00">11am BST on 9 July 2031</time>' in html
    # A change to the opportunity (its deadline moved) purges the event's page.
    assert f"opportunity-{opportunity.pk}" in response["Surrogate-Key"].split()


def test_a_withdrawn_opportunity_is_not_shown_on_the_event_page(client):
    opportunity = make_opportunity(title="Hidden call", status=Status.DRAFT, publish_at=None)
    event = make_event(related_opportunity=opportunity)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Hidden call" not in html and "Funding opportunity" not in html


def test_the_opportunity_page_lists_its_live_events_soonest_first(client, settings):
    settings.FRONT_CACHE_SECONDS = 600
    opportunity = make_opportunity()
    now = timezone.now()
    later = make_event(
        title="Second briefing",
        related_opportunity=opportunity,
        start=datetime(2031, 1, 14, 14, 0, tzinfo=UTC),
    )
    make_event(
        title="First briefing",
        related_opportunity=opportunity,
        start=now + timedelta(days=3),
        event_status="cancelled",
    )
    make_event(title="Draft briefing", related_opportunity=opportunity, status=Status.DRAFT)
    make_event(title="Other briefing")
    response = client.get(opportunity.get_absolute_url())
    html = response.content.decode()
    assert "Events about this opportunity" in html
    assert html.index("First briefing") < html.index("Second briefing")
    assert "Cancelled" in html.split("First briefing")[1].split("</li>")[0]
    assert "Tuesday 14 January 2031, 2pm to 4pm GMT" in html
    assert f'href="{later.get_absolute_url()}"' in html
    assert "Draft briefing" not in html and "Other briefing" not in html
    # A new event naming it purges its page: the events' list key is on it.
    assert "events" in response["Surrogate-Key"].split()


def test_an_opportunity_with_no_events_has_no_events_section(client):
    opportunity = make_opportunity()
    assert (
        "Events about this opportunity"
        not in client.get(opportunity.get_absolute_url()).content.decode()
    )


def test_deleting_the_opportunity_keeps_the_event(client):
    opportunity = make_opportunity()
    event = make_event(related_opportunity=opportunity)
    opportunity.delete()
    event.refresh_from_db()
    assert event.related_opportunity is None
    assert client.get(event.get_absolute_url()).status_code == 200


def test_an_editor_names_the_opportunity_in_the_admin(editor):  # noqa: F811
    opportunity = make_opportunity()
    response = editor.post(ADD, event_form(related_opportunity=opportunity.pk))
    assert response.status_code == 302
    assert Event.objects.get().related_opportunity == opportunity


def test_an_unknown_opportunity_is_a_clear_message(editor):  # noqa: F811
    response = editor.post(ADD, event_form(related_opportunity=999999))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_event_page_with_an_opportunity_keeps_its_query_budget(
    client, django_assert_max_num_queries
):
    event = make_event(
        topics=[make_topic() for _ in range(4)],
        speakers=[make_contact() for _ in range(3)],
        related_opportunity=make_opportunity(),
    )
    event.related_posts.set([make_post() for _ in range(3)])
    # The event with its image; its files, opportunity, topics, speakers and related posts.
    with django_assert_max_num_queries(6):
        assert client.get(event.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_the_opportunity_page_keeps_its_query_budget_with_events(
    client, django_assert_max_num_queries, count
):
    opportunity = make_opportunity(topics=[make_topic() for _ in range(2)])
    for _ in range(count):
        make_event(related_opportunity=opportunity)
    # The row, its topics, contacts, reports, events and related news.
    with django_assert_max_num_queries(6):
        assert client.get(opportunity.get_absolute_url()).status_code == 200
