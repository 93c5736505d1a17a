"""Every public page type describes itself to machines: Open Graph and JSON-LD, read back with
extruct (JSON-LD and Open Graph as search engines and link previews read them)."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import extruct
import feedparser
import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.utils import timezone

from tests.factories import add_hero_image, make_image, make_post

pytestmark = pytest.mark.django_db

OG_KEYS = ("og:title", "og:description", "og:url")


def _extract(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    data = extruct.extract(
        response.content.decode(),
        base_url=settings.SITE_URL + path,
        syntaxes=["json-ld", "opengraph"],
        uniform=True,
    )
    og = data["opengraph"][0] if data["opengraph"] else {}
    # extruct's uniform form gives og:type as the item's @type.
    og["og:type"] = og.pop("@type", None)
    by_type = {}
    for item in data["json-ld"]:
        by_type.setdefault(item["@type"], item)
    return og, by_type


@pytest.fixture
def pages(content):
    """The path of each public page type, over the shared content (tests/ktnsite/conftest.py)."""
    add_hero_image(content["post"], alt="A qubit")
    contact = content["contact"]
    contact.job_title, contact.team, contact.phone = "Quantum lead", "Physics", "+44 20 7946 0000"
    contact.photo = make_image(alt="Ada Lead")
    contact.save()
    year = timezone.localtime(content["post"].publish_at).year
    return {
        "home": "/",
        "news list": "/news/",
        "news archive": f"/news/archive/{year}/",
        "reports list": "/reports/",
        "contacts list": "/contacts/",
        "topic hub": content["topic"].get_absolute_url(),
        "article": content["post"].get_absolute_url(),
        "report": content["report"].get_absolute_url(),
        "contact": contact.get_absolute_url(),
        "search": "/search/",
        "mailing list": "/mailing-list/",
        "site page": _site_page().url,
    }


def _site_page():
    page = FlatPage.objects.create(
        url="/privacy/", title="Privacy notice", content="<p>What we keep and why.</p>"
    )
    page.sites.add(settings.SITE_ID)
    return page


EXPECTED_TYPES = {
    "home": {"WebSite", "Organization"},
    "news list": {"CollectionPage"},
    "news archive": {"CollectionPage"},
    "reports list": {"CollectionPage"},
    "contacts list": {"CollectionPage"},
    "topic hub": {"CollectionPage"},
    "article": {"NewsArticle"},
    "report": {"Report"},
    "contact": {"Person"},
    "search": {"SearchResultsPage"},
    "mailing list": {"WebPage"},
    "site page": {"WebPage"},
}


@pytest.mark.parametrize("kind", EXPECTED_TYPES)
def test_every_page_type_has_open_graph_and_fitting_json_ld(client, pages, kind):
    path = pages[kind]
    og, by_type = _extract(client, path)
    assert og["og:type"] in ("website", "article", "profile"), kind
    for key in OG_KEYS:
        assert og.get(key), (kind, key)
    assert og["og:url"] == settings.SITE_URL + path
    assert EXPECTED_TYPES[kind] <= set(by_type), (kind, set(by_type))
    for item in by_type.values():
        if "url" in item:
            assert item["url"].startswith(settings.SITE_URL + "/"), (kind, item["url"])


def test_the_home_page_offers_the_site_search_to_search_engines(client, pages):
    og, by_type = _extract(client, "/")
    action = by_type["WebSite"]["potentialAction"]
    assert action["@type"] == "SearchAction"
    template = action["target"]["urlTemplate"]
    assert template == settings.SITE_URL + "/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    assert by_type["Organization"]["name"] == settings.SITE_NAME
    assert og["og:type"] == "website"


@pytest.mark.parametrize("kind", ["news list", "reports list", "contacts list", "topic hub"])
def test_lists_and_hubs_name_what_they_show_in_order(client, pages, content, kind):
    _, by_type = _extract(client, pages[kind])
    listed = by_type["CollectionPage"]["mainEntity"]
    assert listed["@type"] == "ItemList"
    urls = [element["url"] for element in listed["itemListElement"]]
    shown = {
        "news list": [content["post"]],
        "reports list": [content["report"]],
        "contacts list": [content["contact"]],
        "topic hub": [content["post"], content["report"], content["contact"]],
    }[kind]
    assert urls == [settings.SITE_URL + item.get_absolute_url() for item in shown]
    assert [e["position"] for e in listed["itemListElement"]] == list(range(1, len(urls) + 1))


def test_a_contact_is_a_person_without_email_or_phone(client, pages, content):
    contact = content["contact"]
    response = client.get(pages["contact"])
    og, by_type = _extract(client, pages["contact"])
    person = by_type["Person"]
    assert person["name"] == "Ada Lead"
    assert person["jobTitle"] == "Quantum lead"
    assert person["worksFor"]["name"] == settings.SITE_NAME
    assert person["image"].startswith(settings.SITE_URL)
    assert og["og:type"] == "profile" and og["og:image"] == person["image"]
    assert not {"email", "telephone"} & set(person)
    page = response.content.decode()
    assert contact.email not in page and contact.phone not in page


def test_a_report_is_a_publication_with_its_file_date_and_publisher(client, pages, content):
    report = content["report"]
    _, by_type = _extract(client, pages["report"])
    publication = by_type["Report"]
    assert publication["encoding"]["encodingFormat"] == "application/pdf"
    assert publication["encoding"]["contentSize"] == f"{report.file_size} B"
    assert publication["encoding"]["contentUrl"] == settings.SITE_URL + report.get_download_url()
    assert publication["datePublished"] == timezone.localtime(report.publish_at).isoformat(
        timespec="seconds"
    )
    assert publication["publisher"]["name"] == settings.SITE_NAME


def test_an_article_is_a_news_article_dated_as_its_page(client, pages, content):
    post = content["post"]
    og, by_type = _extract(client, pages["article"])
    article = by_type["NewsArticle"]
    published = timezone.localtime(post.publish_at).isoformat(timespec="seconds")
    assert article["datePublished"] == published == og["article:published_time"]
    assert "dateModified" not in article and "article:modified_time" not in og
    assert og["og:type"] == "article"
    assert og["og:image"] == article["image"][0]


@pytest.mark.parametrize("path", ["/feeds/news/", "/feeds/news/atom/", "/feeds/topics/quantum/"])
def test_the_feeds_still_parse_clean(client, pages, content, path):
    feed = feedparser.parse(client.get(path).content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.entries[0].link == settings.SITE_URL + content["post"].get_absolute_url()


def test_an_older_page_of_a_list_lists_its_own_items_and_is_its_own_canonical(client):
    for _ in range(11):
        make_post()
    first = client.get("/news/").content.decode()
    older = html.unescape(re.search(r'href="([^"]*)" rel="next"', first).group(1))
    og, by_type = _extract(client, f"/news/{older}&utm_source=newsletter")
    canonical = urlsplit(og["og:url"])
    assert f"{canonical.scheme}://{canonical.netloc}" == settings.SITE_URL
    assert canonical.path == "/news/"
    assert parse_qs(canonical.query) == parse_qs(older.lstrip("?"))  # no utm_source
    listed = by_type["CollectionPage"]["mainEntity"]["itemListElement"]
    # Pages are found by key, not number: a page's list counts from its own first item.
    assert [element["position"] for element in listed] == [1]
