"""The content registry: a type declared once, in its own app, is searched, mapped, linked,
alerted and purged, with nothing else naming it (tests/gadgets: a type only the tests have)."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mailinglist.alerts import alerts_fan_out
from mailinglist.models import Alert, Delivery
from publishing import registry
from publishing.models import Status
from tests.caching.test_purge import Recorder
from tests.factories import make_subscriber, make_topic, signed_in
from tests.gadgets import declaration
from tests.gadgets.models import Gadget

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.gadgets.urls")]

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def front_cache(settings):
    """Public pages name their surrogate keys (as in tests/caching/test_front_cache.py)."""
    settings.FRONT_CACHE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 60


@pytest.fixture
def gadgets():
    """Gadgets declared, as their app's ready() would, for this test only."""
    content_type = declaration.declare()
    yield content_type
    registry.forget_content_type(Gadget)


def make_gadget(*, topics=(), **fields):
    fields.setdefault("title", "Pocket barometer")
    fields.setdefault("slug", "pocket-barometer")
    fields.setdefault("summary", "Reads the weather from air pressure.")
    fields.setdefault("status", Status.PUBLISHED)
    fields.setdefault("publish_at", timezone.now() - timedelta(minutes=5))
    gadget = Gadget.objects.create(**fields)
    gadget.topics.set(topics)
    return gadget


def test_a_declared_type_is_found_by_site_search(gadgets, front_cache):
    gadget = make_gadget()
    make_gadget(title="Hidden lamp", slug="hidden-lamp", status=Status.DRAFT)
    response = Client().get("/search/", {"q": "barometer", "type": "gadgets"})
    assert response.status_code == 200
    assert [hit.item for hit in response.context["results"]] == [gadget]
    assert "gadgets" in response["Surrogate-Key"].split()
    assert ("gadgets", "Gadgets") in response.context["form"].fields["type"].choices


def test_a_declared_type_is_in_the_sitemap_with_its_lastmod(gadgets, front_cache, client):
    gadget = make_gadget()
    make_gadget(title="Hidden lamp", slug="hidden-lamp", status=Status.DRAFT)
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    entries = {
        url.find("s:loc", NS).text: url.find("s:lastmod", NS).text
        for url in root.findall("s:url", NS)
        if "/gadgets/" in url.find("s:loc", NS).text
    }
    assert entries == {
        settings.SITE_URL + gadget.get_absolute_url(): gadget.publish_at.date().isoformat()
    }
    assert "gadgets" in response["Surrogate-Key"].split()


def test_a_stable_link_to_a_declared_type_leads_to_its_page(gadgets, client):
    gadget = make_gadget()
    response = client.get(f"/go/gadget/{gadget.pk}/")
    assert response.status_code == 302
    assert response["Location"] == gadget.get_absolute_url()
    assert client.get(response["Location"]).content.decode() == "Pocket barometer"


def test_the_link_chooser_finds_a_declared_type(gadgets):
    gadget = make_gadget()
    ed = signed_in("ed", perms=["view_gadget"])
    found = ed.get(reverse("admin-link-search"), {"q": "barometer"}).json()["results"]
    assert found == [
        {
            "kind": "Gadget",
            "title": "Pocket barometer",
            "url": f"/go/gadget/{gadget.pk}/",
            "live": True,
        }
    ]


def test_a_declared_type_going_live_alerts_subscribers_of_its_topics(
    gadgets, django_capture_on_commit_callbacks
):
    topic, other = make_topic(), make_topic()
    reader = make_subscriber(topics=[topic])
    make_subscriber(topics=[other])
    with django_capture_on_commit_callbacks(execute=False):
        gadget = make_gadget(topics=[topic])
    assert Alert.objects.filter(object_id=gadget.pk).count() == 1
    assert alerts_fan_out() == 1
    assert Delivery.objects.get().subscriber == reader


def test_a_change_to_a_declared_type_purges_it_its_list_and_its_topics(
    gadgets, settings, django_capture_on_commit_callbacks
):
    settings.FRONT_CACHE_PURGERS = [{"BACKEND": "tests.caching.test_purge.Recorder"}]
    with django_capture_on_commit_callbacks(execute=True):
        topic = make_topic(slug="weather")
    Recorder.calls = []
    with django_capture_on_commit_callbacks(execute=True):
        gadget = make_gadget(topics=[topic])
    assert Recorder.calls == [{f"gadget-{gadget.pk}", "gadgets", "topic-weather"}]
    assert gadgets.item_key(gadget) == f"gadget-{gadget.pk}"


def _preview_data(topic, **fields):
    """What the gadget's change form sends (the kernel's PublishableAdmin, nothing of its own)."""
    return {
        "title": "Storm glass",
        "slug": "storm-glass",
        "summary": "Crystals that <script>alert(1)</script> foretell the weather.",
        "status": Status.DRAFT,
        "topics": [topic.pk],
        **fields,
    }


def _preview_page(response):
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = BeautifulSoup(response.content, "html.parser")
    return {
        "banner": page.select_one(".preview-banner").get_text(" ", strip=True),
        "title": page.h1.get_text(strip=True),
        "summary": page.select_one(".article__standfirst").get_text(strip=True),
        "topics": [li.get_text(strip=True) for li in page.select(".tags li")],
        "scripts in the text": [s for s in page.select("article script")],
    }


def test_a_declared_type_is_previewed_in_the_admin_as_its_declaration_says(gadgets):
    weather = make_topic(name="Weather")
    gadget = make_gadget(title="Pocket barometer", summary="Stored summary.")
    ed = signed_in("ed", perms=["change_gadget"])
    url = reverse("gadget_admin:gadgets_gadget_preview", args=[gadget.pk])
    shown = _preview_page(ed.post(url, _preview_data(weather)))
    assert shown["banner"].startswith("Preview. This is what readers would see")
    assert (shown["title"], shown["topics"]) == ("Storm glass", ["Weather"])
    # What the editor typed, escaped: the script is text on the page, never run.
    assert shown["summary"] == "Crystals that <script>alert(1)</script> foretell the weather."
    assert shown["scripts in the text"] == []
    gadget.refresh_from_db()
    assert (gadget.title, gadget.summary, list(gadget.topics.all())) == (
        "Pocket barometer", "Stored summary.", []
    )  # fmt: skip


def test_a_new_gadget_never_saved_is_previewed_and_nothing_is_made(gadgets):
    weather = make_topic(name="Weather")
    ed = signed_in("ed", perms=["add_gadget"])
    url = reverse("gadget_admin:gadgets_gadget_preview")
    shown = _preview_page(ed.post(url, _preview_data(weather, title="")))
    assert (shown["title"], shown["topics"]) == ("(No title yet)", ["Weather"])
    assert not Gadget.objects.exists()


def test_an_undeclared_type_is_in_none_of_them(front_cache):
    gadget = make_gadget()
    assert registry.for_model(Gadget) is None
    assert Client().get(f"/go/gadget/{gadget.pk}/").status_code == 404
    assert "gadgets" not in Client().get("/sitemap.xml")["Surrogate-Key"].split()
