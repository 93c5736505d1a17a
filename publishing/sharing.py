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
