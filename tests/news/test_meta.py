"""What search engines and social sites read from an article or report page."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import add_hero_image, make_post, make_report

pytestmark = pytest.mark.django_db


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self._in_ld = {}, {}, [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content")
        elif tag == "link":
            self.links[attrs["rel"]] = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True

    def handle_endtag(self, tag):
        self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))


def _head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


def test_an_article_has_canonical_description_and_sharing_cards(client):
    post = add_hero_image(
        make_post(title="Wind power", standfirst="Turbines at sea."), alt="A turbine"
    )
    head = _head(client, post.get_absolute_url())
    url = settings.SITE_URL + post.get_absolute_url()
    assert head.links["canonical"] == url
    assert head.meta["description"] == "Turbines at sea."
    assert head.meta["og:title"] == head.meta["twitter:title"] == "Wind power"
    assert head.meta["og:url"] == url
    assert head.meta["og:type"] == "article"
    assert head.meta["og:image"] == settings.SITE_URL + post.hero_image.file.url
    assert head.meta["og:image:alt"] == head.meta["twitter:image:alt"] == "A turbine"
    assert head.meta["twitter:card"] == "summary_large_image"


def test_an_article_has_news_article_json_ld(client):
    post = add_hero_image(make_post(title="Wind power"))
    data = _head(client, post.get_absolute_url()).json_ld[0]
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Wind power"
    # In the site's zone, as the page's "Posted on" has it (tests/news/test_machine_dates.py).
    assert data["datePublished"] == timezone.localtime(post.publish_at).isoformat(
        timespec="seconds"
    )
    assert "dateModified" not in data  # no major change yet (tests/news/test_machine_dates.py)
    assert data["image"] == [settings.SITE_URL + post.hero_image.file.url]
    assert data["publisher"]["name"] == settings.SITE_NAME


def test_json_ld_cannot_be_broken_out_of_by_an_editor(client):
    post = make_post(title="</script><script>alert(1)</script> & more")
    html = client.get(post.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["headline"] == post.title


def test_a_report_page_describes_the_document(client):
    report = make_report(title="Impact report", summary="What was achieved.")
    head = _head(client, report.get_absolute_url())
    assert head.meta["description"] == "What was achieved."
    assert head.links["canonical"] == settings.SITE_URL + report.get_absolute_url()
    data = head.json_ld[0]
    assert data["@type"] == "Report"
    assert data["encoding"]["encodingFormat"] == "application/pdf"
    assert data["encoding"]["contentUrl"] == settings.SITE_URL + report.get_download_url()


def test_absolute_urls_follow_the_configured_site_url(client, settings):
    settings.SITE_URL = "https://www.example.org"
    post = make_post()
    head = _head(client, post.get_absolute_url())
    assert head.links["canonical"] == "https://www.example.org" + post.get_absolute_url()


def test_shared_picture_is_the_1200_by_630_share_card(client):
    post = add_hero_image(
        make_post(title="Wind power"), alt="A turbine", size=(2000, 1200), renditions=True
    )
    share = post.hero_image.current_renditions["share"]
    head = _head(client, post.get_absolute_url())
    assert head.meta["og:image"] == settings.SITE_URL + post.hero_image.storage.url(share["path"])
    assert head.meta["og:image:width"] == "1200"
    assert head.meta["og:image:height"] == "630"
    assert head.meta["og:image:type"] == "image/jpeg"
