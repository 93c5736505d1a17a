"""The home page and the topic hubs: what a reader sees first, all from live content."""

import pytest

from publishing.models import Status
from tests.factories import (
    make_contact,
    make_event,
    make_opportunity,
    make_post,
    make_report,
    make_topic,
)

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_featured_and_latest_posts_reports_and_topics(client):
    topic = make_topic(name="Quantum")
    featured = make_post(title="Featured story", is_featured=True)
    latest = make_post(title="Latest story")
    report = make_report(title="Annual report")
    html = client.get("/").content.decode()
    assert featured.title in html and latest.title in html
    assert report.title in html
    assert topic.name in html
    assert client.get("/").context["featured"] == [featured]


def test_the_home_page_leaves_out_drafts(client):
    make_post(title="Secret draft", status=Status.DRAFT, is_featured=True)
    make_report(title="Secret report", status=Status.DRAFT)
    html = client.get("/").content.decode()
    assert "Secret draft" not in html and "Secret report" not in html


def test_a_topic_hub_shows_its_posts_reports_and_contacts(client):
    topic, other = make_topic(slug="space"), make_topic()
    make_post(title="Rocket news", topics=[topic])
    make_post(title="Bread news", topics=[other])
    make_report(title="Orbit report", topics=[topic])
    make_contact(name="Ada Space", topics=[topic])
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Rocket news" in html and "Orbit report" in html and "Ada Space" in html
    assert "Bread news" not in html
    assert 'href="/news/?topic=space"' in html


def test_an_empty_topic_hub_says_so(client):
    topic = make_topic()
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "No news on this topic yet." in html
    assert "No reports on this topic yet." in html
    assert "No contacts for this topic yet." in html


@pytest.mark.parametrize("count", [1, 10])
def test_a_topic_hub_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    topic = make_topic()
    for _ in range(count):
        make_post(topics=[topic, make_topic()])
        make_report(topics=[topic])
        make_contact(topics=[topic])
        make_event(topics=[topic])
        make_opportunity(topics=[topic])
    # topic, open opportunities, posts, their topics, reports, contacts, upcoming events.
    with django_assert_max_num_queries(7):
        assert client.get(topic.get_absolute_url()).status_code == 200
