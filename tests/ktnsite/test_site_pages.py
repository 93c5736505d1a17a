"""Site pages (flat pages) in the footer: sanitised like rich text on save and on show, editable by editors; the favicon (issue 15)."""

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.urls import reverse

from ktnsite.sitepages import FOOTER_PAGES
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<h2>Your data</h2><p onclick="alert(1)">Kept <a href="javascript:alert(2)">here</a>.</p>'
    "<script>alert(3)</script><img src=x onerror=alert(4)><iframe src=//evil.example></iframe>"
)


def _page(url="/privacy/", **fields):
    page = FlatPage.objects.create(url=url, title=fields.pop("title", "Privacy notice"), **fields)
    page.sites.add(settings.SITE_ID)
    return page


def _assert_inert(html):
    for bad in ["<script", "onclick", "onerror", "javascript:", "<iframe", "<img"]:
        assert bad not in html


def test_a_site_page_is_sanitised_when_saved(client):
    page = _page(content=HOSTILE)
    page.refresh_from_db()
    _assert_inert(page.content)
    assert "<h2>Your data</h2>" in page.content and "Kept" in page.content


def test_a_site_page_written_around_the_sanitiser_is_sanitised_when_shown(client):
    page = _page(content="<p>Fine.</p>")
    FlatPage.objects.filter(pk=page.pk).update(content=HOSTILE, title="<b>Privacy</b> notice")
    html = client.get("/privacy/").content.decode()
    main = html[html.index("<main") :]
    _assert_inert(main)
    assert "<h2>Your data</h2>" in main
    # The title is text: flatpages' own view would have marked it safe.
    assert "&lt;b&gt;Privacy&lt;/b&gt; notice" in main


def test_editors_edit_site_pages_in_the_admin_and_markup_is_sanitised(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    page = _page(content="<p>Old.</p>")
    response = client.post(
        reverse("admin:flatpages_flatpage_change", args=[page.pk]),
        {
            "url": "/privacy/",
            "title": "Privacy notice",
            "content": HOSTILE,
            "sites": [settings.SITE_ID],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    _assert_inert(page.content)
    assert "Kept" in page.content


def test_every_footer_link_works_once_the_demo_is_loaded(demo, client):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    for name, (url, title) in FOOTER_PAGES.items():
        assert f'href="{reverse(f"site-page:{name}")}"' in footer
        response = client.get(url)
        assert response.status_code == 200
        assert title in response.content.decode()


def test_a_missing_site_page_is_a_404_not_an_error(client):
    assert client.get("/cookies/").status_code == 404
    assert client.get("/pages/nothing-here/").status_code == 404


def test_editors_can_add_more_pages_under_pages(client):
    _page(url="/pages/modern-slavery/", title="Modern slavery statement", content="<p>Ours.</p>")
    response = client.get("/pages/modern-slavery/")
    assert response.status_code == 200 and "Modern slavery statement" in response.content.decode()


def test_a_site_page_has_a_description_from_its_text(client):
    _page(content="<p>We collect your email address &amp; the topics you choose.</p>")
    html = client.get("/privacy/").content.decode()
    assert (
        '<meta name="description" content="We collect your email address &amp; the topics you choose.">'
        in html
    )


def test_the_favicon_answers_at_the_root_and_is_linked_from_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith(".ico")
    html = client.get("/news/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.ico"' in html
    assert 'type="image/svg+xml"' in html


def test_the_site_page_has_a_fixed_query_budget(client, django_assert_max_num_queries):
    _page(content="<p>Text.</p>")
    with django_assert_max_num_queries(1):
        assert client.get("/privacy/").status_code == 200


def test_the_sitemap_lists_public_site_pages_only(client, settings):
    _page(content="<p>Ours.</p>")
    _page(url="/pages/staff-handbook/", title="Handbook", registration_required=True)
    xml = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{settings.SITE_URL}/privacy/</loc>" in xml
    assert "staff-handbook" not in xml
