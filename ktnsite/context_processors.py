"""Template context shared by every page: the site's name and absolute address, and its fixed links."""

from django.conf import settings

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


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        # Reversed once per process (publishing.addresses) rather than by 13 {% url %} tags per
        # page, which were about a tenth of an uncached page's time.
        "links": {name: fixed_url(route) for name, route in SITE_LINKS.items()},
    }
