"""Counting what readers do without tracking them: one upsert into a per-day total.

No cookie is set or read, and nothing about the reader (address, user agent, session) is
stored: a count is a (day, kind, key) row whose number goes up. Staff and robots are not
counted. One statement per event (INSERT … ON CONFLICT DO UPDATE, on PostgreSQL and SQLite
alike), so two readers at once both count and the page waits about a millisecond.

What reaches Django is what is counted: report downloads always do (never cached); a search
page served from the page cache or a front cache does not, so the same words searched again
within the cache's lifetime (ten minutes at most) count once. Page views are not counted.
`DASHBOARD_READER_COUNTS = False` switches counting off.
"""

import logging
import re

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from dashboard.models import DailyCount

logger = logging.getLogger(__name__)

DOWNLOAD = "download"
SEARCH = "search"
SEARCH_NONE = "search-none"

# Robots say so in their user agent (read, never stored); the rest are rare enough to ignore.
ROBOT = re.compile(r"bot|crawl|spider|slurp|preview|fetch|monitor|curl|wget|python", re.I)
# Words that may name a person: an email address, or a number long enough to be a phone's.
PERSONAL = re.compile(r"@|\d[\d\s().+-]{5,}\d")
WORDS_MAX = 100


def enabled():
    return getattr(settings, "DASHBOARD_READER_COUNTS", True)


def is_reader(request):
    """Not staff, not a robot: a request whose doing is counted.

    Anyone with a session cookie (staff signed in) is left out by the cookie alone: reading
    `request.user` would touch the session, and a page that did so varies by cookie and is
    never cached (`caching.pagecache`).
    """
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return not ROBOT.search(request.headers.get("User-Agent", "") or "robot")


def search_words(query):
    """A search's words as counted: lower case, spaces collapsed, cut short; "" when they
    may name someone (an email address, a phone number), so those are counted, never kept."""
    words = " ".join(str(query).lower().split())[:WORDS_MAX]
    return "" if PERSONAL.search(words) else words


def add(kind, key="", *, n=1, when=None):
    """Add `n` to today's (or `when`'s day's) count of `kind` for `key`. Never raises."""
    if not enabled():
        return
    quote = connection.ops.quote_name
    table, day, kind_, key_, count = (
        quote(name) for name in (DailyCount._meta.db_table, "day", "kind", "key", "count")
    )
    # Only quoted names of our own go into the text; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({day}, {kind_}, {key_}, {count}) VALUES (%s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({kind_}, {day}, {key_}) "
        f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )
    params = [timezone.localdate(when), kind, key[:200], n]
    try:
        # A savepoint inside a transaction, so a failed count leaves the request's work alone.
        with (
            transaction.atomic(savepoint=connection.in_atomic_block),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    except DatabaseError:
        logger.warning("Could not count a %s.", kind, exc_info=True)


def count_search(request, query, found):
    """One search from a reader, and its words when it found nothing."""
    if not is_reader(request) or not str(query).strip():
        return
    add(SEARCH)
    if not found:
        add(SEARCH_NONE, search_words(query))


def count_download(request, key):
    """One download of the item with surrogate key `key` ("report-3")."""
    if is_reader(request):
        add(DOWNLOAD, key)
