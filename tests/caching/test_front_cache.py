"""Pages any cache may share: anonymous readers' pages are public, keyed, identical and compressed."""

import gzip
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from publishing.models import Status
from tests.factories import make_post, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def front_cache(settings):
    settings.FRONT_CACHE_SECONDS = 600
    settings.PAGE_CACHE_BROWSER_SECONDS = 60


# Each page type and the keys it must carry besides `site`: what it shows by name, and the
# lists it shows (so that a new item on a list purges it).
PAGES = {
    "home": (lambda c: "/", lambda c: {"news", "reports", "events", "opportunities"}),
    "article": (
        lambda c: c["post"].get_absolute_url(),
        # The post, its report and contacts by name; its topics for the related posts.
        lambda c: {
            f"post-{c['post'].pk}",
            f"report-{c['report'].pk}",
            f"contact-{c['contact'].pk}",
            "topic-quantum",
        },
    ),
    "news list": (lambda c: "/news/", lambda c: {"news"}),
    "news archive": (lambda c: f"/news/archive/{timezone.now().year}/", lambda c: {"news"}),
    "reports list": (lambda c: "/reports/", lambda c: {"reports"}),
    "report": (
        lambda c: c["report"].get_absolute_url(),
        lambda c: {f"report-{c['report'].pk}", "news"},
    ),
    "contacts list": (lambda c: "/contacts/", lambda c: {"contacts"}),
    "contact": (
        lambda c: c["contact"].get_absolute_url(),
        lambda c: {f"contact-{c['contact'].pk}", "news", "contacts"},
    ),
    "topic hub": (lambda c: c["topic"].get_absolute_url(), lambda c: {"topic-quantum"}),
    "search": (
        lambda c: "/search/?q=quantum",
        lambda c: {"news", "reports", "events", "contacts", "opportunities"},
    ),
    "feed": (lambda c: "/feeds/news/", lambda c: {"news"}),
    "atom feed": (lambda c: "/feeds/news/atom/", lambda c: {"news"}),
    "topic feed": (lambda c: "/feeds/topics/quantum/", lambda c: {"topic-quantum"}),
    "sitemap": (
        lambda c: "/sitemap.xml",
        lambda c: {"news", "reports", "events", "contacts", "opportunities"},
    ),
    "robots": (lambda c: "/robots.txt", lambda c: set()),
    "mailing list": (lambda c: "/mailing-list/", lambda c: set()),
}


@pytest.mark.parametrize("page", PAGES)
def test_an_anonymous_page_is_public_names_what_it_shows_and_sets_no_cookie(content, page):
    url, keys = PAGES[page]
    response = Client().get(url(content))
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=60", "s-maxage=600"}
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
    assert set(response["Surrogate-Key"].split()) == {"site", *keys(content)}
    assert response["xkey"] == response["Surrogate-Key"]


@pytest.mark.parametrize("page", PAGES)
def test_two_anonymous_readers_get_byte_identical_pages(content, page):
    url = PAGES[page][0](content)
    assert Client().get(url).content == Client().get(url).content


def test_the_page_of_a_form_has_no_csrf_token_nor_one_time_token_value(content):
    for url in ["/", content["post"].get_absolute_url(), "/mailing-list/",
                content["contact"].get_absolute_url()]:  # fmt: skip
        html = Client().get(url).content.decode()
        assert "csrfmiddlewaretoken" not in html
        assert not re.search(r'name="token" value=', html)


def test_shared_caches_never_keep_a_page_past_the_next_go_live(content):
    make_post(title="Soon", publish_at=timezone.now() + timedelta(seconds=100))
    response = Client().get("/news/")
    s_maxage = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert 95 <= s_maxage <= 100
    assert "max-age=60" in response["Cache-Control"]


def test_signed_in_readers_and_drafts_are_never_public(content):
    editor = Client()
    editor.force_login(make_staff("ed", groups=["Editors"]))
    response = editor.get(content["post"].get_absolute_url())
    assert "public" not in response.get("Cache-Control", "")
    assert "Surrogate-Key" not in response
    draft = make_post(title="Secret draft", status=Status.DRAFT)
    response = editor.get(draft.get_absolute_url())
    assert "private" in response["Cache-Control"] and "Surrogate-Key" not in response


@pytest.mark.parametrize(
    "url", ["/healthz", "/admin/login/", "/news/no-such-post/", "/news/?year=1066"]
)
def test_machines_admin_and_errors_are_not_public(content, url):
    response = Client().get(url)
    assert "public" not in response.get("Cache-Control", "")
    assert "Surrogate-Key" not in response


def test_a_report_download_is_never_shared(content):
    response = Client().get(content["report"].get_download_url())
    assert "private" in response["Cache-Control"] and "Surrogate-Key" not in response


def test_html_is_compressed_for_readers_who_accept_gzip(content):
    url = content["post"].get_absolute_url()
    plain = Client().get(url)
    packed = Client().get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2
    assert "public" in packed["Cache-Control"]


def test_the_admin_still_demands_its_csrf_token(content):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/admin/login/",
        {"username": "ed", "password": "x"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 403
    client.force_login(make_staff("ed", groups=["Editors"]))
    url = reverse("admin:topics_topic_add")
    response = client.post(
        url, {"name": "New", "slug": "new"}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 403


def test_no_shared_cache_headers_when_turned_off(content, settings):
    settings.FRONT_CACHE_SECONDS = 0
    response = Client().get("/news/")
    assert "Surrogate-Key" not in response and "public" not in response.get("Cache-Control", "")


def test_cloudflare_reads_the_same_keys_from_cache_tag(content, settings):
    settings.FRONT_CACHE_TAG_HEADER = True
    response = Client().get("/news/")
    assert set(response["Cache-Tag"].split(",")) == {"site", "news"}
