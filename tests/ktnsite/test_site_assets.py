"""Every page's head links the site's stylesheet, script and icons (looked up once per
process, ktnsite.context_processors): the addresses must follow the static files' settings."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_link_assets_from_the_static_address_in_force(client, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    page = client.get("/news/").content.decode()
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    assert '<script src="/static/js/site.js" defer></script>' in page
    settings.STATIC_URL = "https://cdn.example.org/static/"
    page = client.get("/news/").content.decode()
    assert '<link rel="stylesheet" href="https://cdn.example.org/static/css/site.css">' in page
    assert 'href="https://cdn.example.org/static/img/favicon.svg"' in page
