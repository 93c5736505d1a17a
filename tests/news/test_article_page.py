"""The seed article page shows every element of the 14/10/2021 post, in order."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from ktnsite.demo.content import SEED_POST_SLUG
from news.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_html(demo, client):
    post = Post.objects.get(slug=SEED_POST_SLUG)
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") :]


def test_the_seed_article_lives_at_its_original_address(demo, client):
    response = client.get(f"/news/{SEED_POST_SLUG}/")
    assert response.status_code == 200


def test_the_seed_article_shows_every_element_in_order(seed_html):
    markers = [
        "<h1",
        "KTN and UKRI Release Medicines Manufacturing Impact Report",
        "Posted on: <time",
        "14/10/2021",
        'alt="medicine production line, vials of blue liquid"',
        "Take a look at our recently released report",
        ">View the report</a>",
        "£255 million",
        "Read the Medicines Manufacturing Challenge impact report",
        "If you’d like to find out more, please contact",
        ">Karen Wilkinson</a>",
        "Share this article",
        "Close",
        "Connect with Innovate UK Business Connect",
        "Join the mailing list",
    ]
    positions = [seed_html.find(marker) for marker in markers]
    missing = [m for m, p in zip(markers, positions, strict=True) if p < 0]
    assert not missing
    assert positions == sorted(positions)


def test_the_seed_article_states_the_facts_of_the_original(seed_html):
    assert "2017" in seed_html
    assert "£255 million" in seed_html
    assert "July 2021" in seed_html
    assert "Medicines Manufacturing Challenge Community" in seed_html


def test_both_report_links_lead_to_the_report_page(demo, client, seed_html):
    post = Post.objects.get(slug=SEED_POST_SLUG)
    report_url = post.report.get_absolute_url()
    assert f'href="{report_url}">View the report</a>' in seed_html
    body_link = (
        f'href="{report_url}"[^>]*>Read the Medicines Manufacturing Challenge impact report<'
    )
    assert re.search(body_link, seed_html)
    assert client.get(report_url).status_code == 200


def test_the_old_click_here_address_still_downloads_the_pdf(demo, client, seed_html):
    # The original body linked straight to the file; pages and emails that copied that
    # address keep working, and the attachment card's own links still download.
    download_url = Post.objects.get(slug=SEED_POST_SLUG).report.get_download_url()
    assert seed_html.count(f'href="{download_url}"') == 2  # the card's title and button
    response = client.get(download_url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_contact_link_goes_to_karen_wilkinsons_page(demo, client, seed_html):
    assert 'href="/contacts/karen-wilkinson/">Karen Wilkinson</a>' in seed_html
    profile = client.get("/contacts/karen-wilkinson/").content.decode()
    assert "Karen Wilkinson" in profile
    assert "Knowledge Transfer Manager" in profile
    assert "karen.wilkinson@example.org" not in profile


def _share_links(html):
    """{link text: href} of the links in the share panel, as a browser reads the markup."""
    panel = BeautifulSoup(html, "html.parser").find(id="share-panel")
    return {link.find(string=True).strip(): link["href"] for link in panel.find_all("a")}


def test_share_links_carry_the_articles_absolute_address(seed_html, settings):
    address = f"{settings.SITE_URL}/news/{SEED_POST_SLUG}/"
    title = Post.objects.get(slug=SEED_POST_SLUG).title
    links = {name: urlsplit(href) for name, href in _share_links(seed_html).items()}
    assert list(links) == ["LinkedIn", "X", "Facebook", "Email"]
    where = {name: (url.scheme, url.netloc, url.path) for name, url in links.items()}
    assert where == {
        "LinkedIn": ("https", "www.linkedin.com", "/sharing/share-offsite/"),
        "X": ("https", "x.com", "/intent/post"),
        "Facebook": ("https", "www.facebook.com", "/sharer/sharer.php"),
        "Email": ("mailto", "", ""),
    }
    query = {name: parse_qs(url.query, strict_parsing=True) for name, url in links.items()}
    assert query["LinkedIn"] == {"url": [address]}
    assert query["X"] == {"url": [address], "text": [title]}
    assert query["Facebook"] == {"u": [address]}
    assert query["Email"] == {"subject": [title], "body": [address]}
