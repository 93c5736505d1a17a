"""Template context shared by every page: the site's name and absolute address, and its fixed links."""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse

# The addresses every public page links to (header, footer, feeds, sign-up form), by the
# name templates use: {{ links.news }}.
SITE_LINKS = {
    "home": "home",
    "news": "news:index",
    "reports": "reports:index",
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


@functools.cache
def _site_links(script_prefix):
    # Reversed once per process (and script prefix) rather than 13 times per page: the
    # {% url %} tags were about a tenth of an uncached page's time.
    return {name: reverse(route) for name, route in SITE_LINKS.items()}


@receiver(setting_changed)
def _urlconf_changed(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _site_links.cache_clear()


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "links": _site_links(get_script_prefix()),
    }
