"""Template context shared by every page: the site's name and absolute address, and its fixed links."""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix

from publishing.addresses import fixed_url

# The addresses every public page links to (header, footer, feeds, sign-up form), by the
# name templates use: {{ links.news }}.
SITE_LINKS = {
    "home": "home",
    "news": "news:index",
    "reports": "reports:index",
    "opportunities": "opportunities:index",
    "contacts": "contacts:index",
    "mailing_list": "mailinglist:signup",
    "search": "search",
    "feed_rss": "feeds:news",
    "feed_atom": "feeds:news-atom",
    "privacy": "site-page:privacy",
    "accessibility": "site-page:accessibility",
    "cookies": "site-page:cookies",
    "contact": "site-page:contact",
}


# The files every page's head links to, by the name base.html uses: {{ assets.css }}.
SITE_ASSETS = {
    "favicon_ico": "img/favicon.ico",
    "favicon_svg": "img/favicon.svg",
    "css": "css/site.css",
    "js": "js/site.js",
}


@functools.cache
def _site_assets(script_prefix):
    # Looked up in the static files' manifest once per process rather than with four
    # {% static %} tags per page (about 2% of an uncached page). The manifest is read once
    # per process anyway, so the addresses are the same.
    return {name: static(path) for name, path in SITE_ASSETS.items()}


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting in ("STATIC_URL", "STORAGES", "DEBUG"):
        _site_assets.cache_clear()


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        # Reversed once per process (publishing.addresses) rather than by 13 {% url %} tags per
        # page, which were about a tenth of an uncached page's time.
        "links": {name: fixed_url(route) for name, route in SITE_LINKS.items()},
        "assets": _site_assets(get_script_prefix()),
    }
