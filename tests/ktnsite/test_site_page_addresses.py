"""Site pages live only at addresses the site serves (issue 22.3): the admin refuses any
other, "View on site" never leads off the site, and the sitemap lists only served pages."""

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.urls import reverse

from tests.factories import make_staff

pytestmark = pytest.mark.django_db

NOT_SERVED = [
    "//evil.example/",
    "//evil.example/pages/x/",
    "/pages//evil.example/",
    "/elsewhere/",
    "/news/",  # the news list's own address, not a site page
    "/pages/",
    "/pages/a.b/",
]


def _page(url, title="A page"):
    page = FlatPage.objects.create(url=url, title=title, content="<p>Text.</p>")
    page.sites.add(settings.SITE_ID)
    return page


@pytest.fixture
def editor(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


def _add(client, url):
    return client.post(
        reverse("admin:flatpages_flatpage_add"),
        {"url": url, "title": "A page", "content": "<p>Text.</p>", "sites": [settings.SITE_ID]},
    )


@pytest.mark.parametrize("url", NOT_SERVED)
def test_the_admin_refuses_an_address_the_site_does_not_serve(editor, url):
    response = _add(editor, url)
    assert response.status_code == 200
    assert "The site shows site pages only at /privacy/" in response.content.decode()
    assert not FlatPage.objects.exists()


@pytest.mark.parametrize("url", ["/privacy/", "/contact/", "/pages/our-history/", "/pages/a/b/"])
def test_the_admin_takes_the_footer_addresses_and_those_under_pages(editor, url):
    assert _add(editor, url).status_code == 302
    assert editor.get(url).status_code == 200


def test_view_on_site_never_leads_off_the_site(editor):
    # A row written before addresses were checked (or with the shell).
    bad = _page("//evil.example/")
    good = _page("/pages/our-history/")
    page = editor.get(reverse("admin:flatpages_flatpage_change", args=[bad.pk])).content.decode()
    assert 'href="//evil.example' not in page and "/admin/r/" not in page
    assert "View on site" not in page
    page = editor.get(reverse("admin:flatpages_flatpage_change", args=[good.pk])).content.decode()
    assert 'href="/pages/our-history/"' in page and "View on site" in page


def test_the_sitemap_lists_only_site_pages_the_site_serves(client):
    _page("/privacy/")
    _page("/pages/our-history/")
    _page("//evil.example/")
    _page("/elsewhere/")
    xml = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{settings.SITE_URL}/privacy/</loc>" in xml
    assert f"<loc>{settings.SITE_URL}/pages/our-history/</loc>" in xml
    assert "evil.example" not in xml and "elsewhere" not in xml
