"""Absolute addresses for sharing, feeds and search engines, built from settings.SITE_URL."""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

# Inside <script> a "</script>" or "<!--" in an editor's text would end or confuse the
# element; escaped like this the JSON means the same and the HTML parser sees no tag.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute_url(url):
    """`url` made absolute with SITE_URL, unless it already is (e.g. a CDN address)."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return settings.SITE_URL.split("//", 1)[0] + url
    return settings.SITE_URL + "/" + url.lstrip("/")


def json_ld(data):
    """`data` as JSON that is safe to place inside a <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, default=str)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped above


def breadcrumbs(trail, current):
    """The breadcrumb trail for a page: the links to show, and schema.org BreadcrumbList.

    `trail` is [(name, path), ...] from the home page down, `current` is (name, path) of
    the page itself: like GOV.UK, the page is not a link in the visible trail, but it is
    the last item of the BreadcrumbList search engines read.
    """
    items = [*trail, current]
    return {
        "trail": [{"name": name, "path": path} for name, path in trail],
        "json_ld": {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": name, "item": absolute_url(path)}
                for n, (name, path) in enumerate(items, start=1)
            ],
        },
    }
