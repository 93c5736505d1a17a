"""Counting what readers do without tracking them: one upsert into a per-day total.

No cookie is set or read, and nothing about the reader (address, user agent, session) is
stored: a count is a (day, kind, key) row whose number goes up. Staff and robots are not
counted. One statement per event (INSERT … ON CONFLICT DO UPDATE, on PostgreSQL and SQLite
alike), so two readers at once both count and the page waits about a millisecond.

What reaches Django is what is counted: report downloads always do (never cached); a search
page served from the page cache or a front cache does not, so the same words searched again
within the cache's lifetime (ten minutes at most) count once. Page views are counted by a
first-party beacon instead, since most views never reach Django, counted in Redis and stored
once a minute (`dashboard.pending`), or by `count_view` at once when Redis is not there: see
"Readers' counts" in docs/architecture.md.
`DASHBOARD_READER_COUNTS = False` switches counting off.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from dashboard.models import DailyCount, ReferrerCount

logger = logging.getLogger(__name__)

VIEW = "view"
DOWNLOAD = "download"
# A download by the file's format: key "report-3.pdf" (the item's key, a dot, the format).
DOWNLOAD_FORMAT = "download-format"
SEARCH = "search"
SEARCH_NONE = "search-none"

# Robots say so in their user agent (read, never stored); the rest are rare enough to ignore.
ROBOT = re.compile(r"bot|crawl|spider|slurp|preview|fetch|monitor|curl|wget|python", re.I)
# Words that may name a person: an email address, or a number long enough to be a phone's.
PERSONAL = re.compile(r"@|\d[\d\s().+-]{5,}\d")
WORDS_MAX = 100
# Referring hosts kept per item and day; views from further hosts are counted as "other".
HOSTS_PER_DAY = 20
OTHER_HOST = "other"
HOST = re.compile(r"^[a-z0-9](?:[a-z0-9.-]{0,98}[a-z0-9])?$")


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


def _upsert(model, names, values, *, rows=1):
    """Add `values[-1]` to the count of `model`'s row with `values[:-1]` (its unique fields);
    with `rows`, as many rows one after the other in `values` (each (unique fields) once)."""
    quote = connection.ops.quote_name
    table, count = quote(model._meta.db_table), quote("count")
    columns = [quote(name) for name in names]
    row = f"({', '.join(['%s'] * (len(names) + 1))})"
    # Only quoted names of our own go into the text; every value is a parameter.
    return (
        f"INSERT INTO {table} ({', '.join(columns)}, {count}) "  # noqa: S608
        f"VALUES {', '.join([row] * rows)} "
        f"ON CONFLICT ({', '.join(columns)}) "
        f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    ), list(values)


def add(kind, key="", *, n=1, when=None):
    """Add `n` to today's (or `when`'s day's) count of `kind` for `key`. Never raises."""
    if not enabled():
        return
    sql, params = _upsert(
        DailyCount, ["kind", "day", "key"], [kind, timezone.localdate(when), key[:200], n]
    )
    _run(kind, sql, params)


def _run(kind, sql, params):
    try:
        # A savepoint inside a transaction, so a failed count leaves the request's work alone.
        with (
            transaction.atomic(savepoint=connection.in_atomic_block),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    except DatabaseError:
        logger.warning("Could not count a %s.", kind, exc_info=True)


def referrer_host(value, own_host=""):
    """The host a view came from, as kept: lower case, no "www.", "" for none or our own
    site (a reader moving between our pages), None when it is not a host name at all."""
    host = str(value or "").strip().lower().rstrip(".")
    if not host:
        return ""
    host = host.removeprefix("www.")
    if not HOST.match(host):
        return None
    return "" if host == str(own_host).lower().split(":")[0].removeprefix("www.") else host


def _referrer(key, host, day):
    """One view of `key` from `host` on `day`, within HOSTS_PER_DAY hosts per item and day;
    run inside count_view's transaction (one commit for the view and its referrer)."""
    if ReferrerCount.objects.filter(day=day, key=key, host=host).update(count=F("count") + 1):
        return
    if ReferrerCount.objects.filter(day=day, key=key).count() >= HOSTS_PER_DAY:
        host = OTHER_HOST
    sql, params = _upsert(ReferrerCount, ["key", "day", "host"], [key, day, host, 1])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def prune_referrers(*, today=None):
    """Delete the referrer counts older than DASHBOARD_REFERRER_DAYS (400) days; how many."""
    days = getattr(settings, "DASHBOARD_REFERRER_DAYS", 400)
    cutoff = (today or timezone.localdate()) - timedelta(days=days)
    deleted, _ = ReferrerCount.objects.filter(day__lt=cutoff).delete()
    return deleted


def count_view(key, host, *, when=None):
    """One view of the item `key` by a reader who came from `host` ("" for none; None when
    it is not known: a reader without JavaScript, counted by `<noscript>`'s image).

    One transaction for the view and its referrer, committed without waiting for the disk
    on PostgreSQL (`synchronous_commit = off` for this transaction only): a crash may lose
    the last fraction of a second's views, never corrupt a count, and the counter answers
    without an fsync per view (the beacon's throughput is bounded by them otherwise).
    """
    if not enabled():
        return
    day = timezone.localdate(when)
    sql, params = _upsert(DailyCount, ["kind", "day", "key"], [VIEW, day, key[:200], 1])
    try:
        with transaction.atomic(savepoint=connection.in_atomic_block):
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                cursor.execute(sql, params)
            if host is not None:
                _referrer(key, host, day)
    except DatabaseError:
        logger.warning("Could not count a view.", exc_info=True)


def count_search(request, query, found):
    """One search from a reader, and its words when it found nothing."""
    if not is_reader(request) or not str(query).strip():
        return
    add(SEARCH)
    if not found:
        add(SEARCH_NONE, search_words(query))


def count_download(request, key, file_format=""):
    """One download of the item with surrogate key `key` ("report-3"), and of its file's
    format ("pdf") when given: the format is recorded at the time of the download, so a file
    replaced by one of another format keeps its past downloads under the old format."""
    if is_reader(request):
        add(DOWNLOAD, key)
        if file_format:
            add(DOWNLOAD_FORMAT, f"{key}.{file_format}")
