"""Reading a WordPress export's values: plain text, dates, ids, old addresses, digests."""

import hashlib
import html
import json
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags

# Bump when the import itself changes, so a second run redoes items made by an older one.
IMPORTER_VERSION = "2"
ZERO_DATE = "0000-00-00 00:00:00"


def export_digest(*parts):
    return hashlib.sha256(
        json.dumps([IMPORTER_VERSION, *parts], sort_keys=True, default=str).encode()
    ).hexdigest()


def plain_text(text):
    """Text from WordPress HTML: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(text or "")).split())


def gmt_date(value):
    """A WordPress GMT date ("2021-10-14 09:00:00") as an aware datetime, or None."""
    value = (value or "").strip()
    if not value or value == ZERO_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def local_date(value):
    """A WordPress local date, read in the site's time zone (the export does not say its own)."""
    found = gmt_date(value)
    return timezone.make_aware(found.replace(tzinfo=None)) if found else None


def wp_number(value):
    """A WordPress id or number, 0 when it is missing or not one."""
    value = (value or "").strip()
    return int(value) if value.isdigit() else 0


def request_path(url):
    """The path and query a request for `url` shows Django, as django.contrib.redirects stores it."""
    parts = urlsplit((url or "").strip())
    if not parts.path and not parts.query:
        return ""
    path = escape_uri_path(unquote(parts.path or "/"))
    return f"{path}?{parts.query}" if parts.query else path
