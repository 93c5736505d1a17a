"""Opportunities wherever a reader looks, through the content registry: search, sitemap, purges, alerts, links."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from publishing.registry import for_kind, for_model
from tests.caching.test_purge import Recorder
from tests.factories import make_opportunity, make_subscriber, make_topic

pytestmark = pytest.mark.django_db


def test_site_search_finds_an_opportunity_and_offers_its_kind(client):
    opportunity = make_opportunity(title="Hydrogen valleys", funder="Innovate UK")
    page = client.get("/search/?q=hydrogen").content.decode()
    assert opportunity.get_absolute_url() in page
    assert "Funding" in client.get("/search/?q=hydrogen&type=opportunities").content.decode()


def test_the_sitemap_lists_live_opportunities_and_the_finder(client):
    opportunity = make_opportunity()
    draft = make_opportunity(status="draft", publish_at=None)
    xml = client.get("/sitemap.xml").content.decode()
    xml += "".join(
        client.get(path).content.decode()
        for path in __import__("re").findall(r"<loc>https?://[^/]+(/sitemap[^<]*)</loc>", xml)
    )
    assert opportunity.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml
    assert "/opportunities/</loc>" in xml


def test_a_change_purges_the_page_the_finder_and_its_topics_hubs(
    settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opportunity = make_opportunity(topics=[make_topic(slug="quantum")])
    settings.FRONT_CACHE_PURGERS = [{"BACKEND": "tests.caching.test_purge.Recorder"}]
    Recorder.calls = []
    with django_capture_on_commit_callbacks(execute=True):
        opportunity.title = "Quantum missions, extended"
        opportunity.save()
    assert Recorder.calls == [{f"opportunity-{opportunity.pk}", "opportunities", "topic-quantum"}]


def test_going_live_alerts_subscribers_of_its_topics(django_capture_on_commit_callbacks):
    topic = make_topic()
    reader = make_subscriber(topics=[topic])
    make_subscriber(topics=[make_topic()])
    with django_capture_on_commit_callbacks(execute=True):
        make_opportunity(
            title="Net zero ports", topics=[topic], publish_at=timezone.now() - timedelta(minutes=1)
        )
    assert [message.to for message in mail.outbox] == [[reader.email]]
    assert mail.outbox[0].subject == "Net zero ports"


def test_editors_can_link_to_an_opportunity_and_the_stable_link_follows_its_slug(client):
    assert for_kind("opportunity") is for_model(make_opportunity().__class__)
    opportunity = make_opportunity(slug="first-name")
    response = client.get(f"/go/opportunity/{opportunity.pk}/")
    assert response.status_code in (301, 302)
    assert response["Location"].endswith("/opportunities/first-name/")
