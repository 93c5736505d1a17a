"""Pages any cache may share: shared-cache headers for anonymous readers, and an in-app page cache.

Every public page is a pure function of the database and the same bytes for every anonymous
reader (no per-reader token: the public forms are protected by Fetch Metadata instead, see
publishing.crossorigin). So an anonymous reader's page says `Cache-Control: public` with
`max-age` (browsers) and `s-maxage` (Varnish, a CDN), never past the next scheduled go-live,
and names what it shows in `Surrogate-Key` and `xkey` (caching.frontcache); a change
purges exactly those keys after its commit (caching.purge).

For deployments without a front cache, the same pages are also kept in the shared Django
cache (`CACHE_MIDDLEWARE_ALIAS`, Redis in production), each with the *content generation* it
was rendered in: a random value, also in the shared cache, replaced whenever a public row
(caching.frontcache's allow-list) changes. A page is read together with the current
generation in one round trip and served only if they match. Every app server reads the same
generation, so one save invalidates every server's pages at once.
"""

import contextvars
import hashlib
import logging
import math
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.middleware.cache import CacheMiddleware
from django.middleware.gzip import re_accepts_gzip
from django.utils import timezone
from django.utils.cache import (
    cc_delim_re,
    get_max_age,
    has_vary_header,
    patch_cache_control,
    patch_response_headers,
)
from django_tasks import task
from prometheus_client import Counter

from caching import frontcache
from caching.breaker import Breaker
from caching.frontcache import SITE_KEY, content_changed
from caching.purge import purge_enqueue

logger = logging.getLogger(__name__)

# For /metrics (ktnsite.metrics adds up every process's counts).
PAGE_CACHE = Counter(
    "ktnsite_page_cache_lookups",
    "Anonymous readers' pages looked up in the in-app page cache: hit or miss",
    ["outcome"],
)
PAGE_CACHE_HIT = PAGE_CACHE.labels("hit")
PAGE_CACHE_MISS = PAGE_CACHE.labels("miss")

GENERATION_KEY = "pagecache.generation"
NEXT_LIVE_KEY = "pagecache.next-live"


def _cache():
    from django.core.cache import caches

    return caches[settings.CACHE_MIDDLEWARE_ALIAS]


def generation():
    """The current content generation, shared by every app server through the cache."""
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A random start (not 1): if the key is ever evicted, a counter restarting from an
        # old value would bring back pages stored under it.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        value = cache.get(GENERATION_KEY) or uuid.uuid4().hex
    return value


# After a failure this process leaves the cache alone for this long: a Redis that hangs
# would otherwise cost every request its socket timeout.
OUTAGE_PAUSE = 5.0  # seconds
OUTAGE_LOG_EVERY = 60.0  # seconds between "page cache unavailable" lines
# Retries of an invalidation Redis did not take: 1, 2, 4, 8 s, then every 10 s until it does.
MAX_RETRY_DELAY = timedelta(seconds=10)


class _Outage(Breaker):
    """This process's knowledge that the shared cache is away, and of a change it owes it."""

    def reset(self):
        super().reset()
        # A new generation this process could not write: written first thing when Redis
        # answers again, so no page of before the change is served or stored from here.
        self.owed = False


_outage = _Outage(
    logger,
    "Page cache unavailable: pages are rendered and not stored for now (%s: %s)",
    pause=OUTAGE_PAUSE,
    log_every=OUTAGE_LOG_EVERY,
)
# Set when a change in the current request could not reach the page cache, so the editor
# is told (PageCacheWarningMiddleware).
_stale_warning = contextvars.ContextVar("pagecache_stale_warning", default=False)


def page_cache_invalidate():
    """Make every cached page stale on every server; True if the cache took it now.

    Inside a transaction the generation changes again when it commits: a request that read
    the new generation before the commit may have stored the old content under it. (A
    change to a public row gets that second change from `invalidate_then_purge`.)
    """
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_new_generation)
    return _new_generation()


def _new_generation(*, force=False):
    if _outage.active() and not force:
        _outage.owed = True
        return False
    try:
        _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception as error:
        # An editor's save must not fail because the cache is down: the change is retried
        # (invalidate_then_purge), and the editor told.
        _outage.failed(error)
        _outage.owed = True
        return False
    _outage.owed = False
    return True


def _settle_owed():
    """Write the generation this process owes, before it serves or stores any page."""
    if _outage.owed:
        _new_generation()
    return not _outage.owed


def invalidate_then_purge(keys):
    """After a change commits: a new generation, then the front caches' purge of `keys`.

    If the cache does not take the generation, the pair becomes a task in the database
    queue (retry_page_cache_invalidation), retried until it does; the purge waits for it.
    """
    if _new_generation():
        purge_enqueue(keys)
        return
    _stale_warning.set(True)
    keys = sorted(keys)
    try:
        if retry_page_cache_invalidation.get_backend().supports_defer:
            when = timezone.now() + _retry_delay(0)
            retry_page_cache_invalidation.using(run_after=when).enqueue(keys=keys, attempt=1)
            return
    except Exception:
        logger.exception("Could not queue the retry of a page-cache invalidation")
    # No queue that can wait: purge now, and pages expire within CACHE_MIDDLEWARE_SECONDS.
    logger.error("Page cache not invalidated for %s; it cannot be retried later", keys)
    purge_enqueue(keys)


def _retry_delay(attempt):
    return min(timedelta(seconds=2**attempt), MAX_RETRY_DELAY)


@task()
def retry_page_cache_invalidation(keys, attempt=1):
    """A new page-cache generation Redis did not take, then the purge that waited for it."""
    if _new_generation(force=True):
        purge_enqueue(keys)
        return
    retry_page_cache_invalidation.using(run_after=timezone.now() + _retry_delay(attempt)).enqueue(
        keys=keys, attempt=attempt + 1
    )


def _content_changed(sender, **kwargs):
    # Now, inside the change's transaction; invalidate_then_purge does it after the commit.
    _new_generation()


def connect_signals():
    """Empty the page cache whenever a public row changes (caching.frontcache decides
    which), and again after the commit, before the front caches are purged."""
    content_changed.connect(_content_changed, dispatch_uid="pagecache.invalidate")
    frontcache.route_purges(invalidate_then_purge)


class PageCacheWarningMiddleware:
    """Tells the editor when a change could not reach the page cache: readers may still see
    the old page until the retry goes through. Inside the messages middleware."""

    MESSAGE = (
        "The page cache did not answer, so readers may still see the old version of the "
        "page for a short while. The update is being retried automatically."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _stale_warning.set(False)
        try:
            response = self.get_response(request)
            if _stale_warning.get() and hasattr(request, "_messages"):
                messages.warning(request, self.MESSAGE)
        finally:
            _stale_warning.reset(token)
        return response


def _first_go_live():
    """The POSIX time at which the next scheduled item goes live or a live one is taken down
    (its take-down time), or another item's page changes by the clock (an event starts or
    ends, an opportunity opens or closes), or 0: one query, a UNION over every publishable model."""
    models = frontcache.timed_models()
    moments = [
        model.objects.scheduled().order_by().values_list("publish_at", flat=True)
        for model in models
    ] + [
        # Expiry needs no cron either: a page listing an item is not kept past its take-down.
        model.objects.live()
        .filter(expire_at__isnull=False)
        .order_by()
        .values_list("expire_at", flat=True)
        for model in models
    ]
    for model in models:
        # Other moments a model's readers see change at, with no save (an event starting or
        # ending): `coming_changes()` on its QuerySet gives them as querysets of datetimes.
        coming = getattr(model.objects, "coming_changes", None)
        if coming is not None:
            moments += coming()
    first = list(moments[0].union(*moments[1:]).order_by("publish_at")[:1])
    return first[0].timestamp() if first else 0


def _lifetime(seconds, until):
    """`seconds`, cut so that nothing kept outlives `until` (the next go-live, take-down or
    change by the clock, as POSIX time; 0 or None: nothing due): the one rule for pages, the
    parts pages share and the headers that tell other caches how long to keep them."""
    if until:
        seconds = min(seconds, math.floor(until - time.time()))
    return seconds


def next_go_live(gen=None):
    """The POSIX time at which the next scheduled item goes live or a live one is taken
    down, or None.

    Asked of the database once per content generation (any save changes the generation) and
    kept in the cache, with the generation it belongs to, no longer than until that moment;
    read with the generation in one round trip. Without a working cache, asked every time.
    """
    if _outage.active():
        return _first_go_live() or None
    try:
        cache = _cache()
        found = cache.get_many([GENERATION_KEY, NEXT_LIVE_KEY])
        gen = gen or found.get(GENERATION_KEY) or generation()
        stored = found.get(NEXT_LIVE_KEY)
    except Exception as error:
        _outage.failed(error)
        return _first_go_live() or None
    if stored is not None and stored[0] == gen:
        return stored[1] or None
    first = _first_go_live()
    lifetime = _lifetime(
        max(settings.CACHE_MIDDLEWARE_SECONDS, settings.FRONT_CACHE_SECONDS), first
    )
    if lifetime >= 1:
        try:
            cache.set(NEXT_LIVE_KEY, (gen, first), lifetime)
        except Exception as error:
            _outage.failed(error)
    return first or None


# How long a part kept by kept_until_change may live at most when nothing is due to change.
KEPT_SECONDS = 3600
# Versioned: an entry of an earlier shape under the old prefix is never read.
KEPT_PREFIX = "pagecache.kept.v2."


def kept_until_change(name, compute, *, by_the_clock=True):
    """`compute()`, kept in the shared cache as pages are: for the current content generation
    only (any save of a public row makes a new one) and never past the next go-live or change
    by the clock (`next_go_live`). For what many pages share and is worth a query or two
    (the finder's funders and topics); read with the generation in one round trip. Without a
    working cache, computed every time. A value its user filters by the time itself (rows
    with their publish and take-down times) is kept `by_the_clock=False`: for the
    generation only, without asking when the next item goes live."""
    if _outage.active():
        return compute()
    key = KEPT_PREFIX + name
    try:
        cache = _cache()
        found = cache.get_many([GENERATION_KEY, key])
        gen = found.get(GENERATION_KEY) or generation()
    except Exception as error:
        _outage.failed(error)
        return compute()
    stored = found.get(key)
    if stored is not None and stored[0] == gen:
        return stored[1]  # its lifetime, set below, ends by the next go-live where it must
    # The generation was read first: a change committed while this computes makes a new one,
    # so what is stored under the old one is never read.
    value = compute()
    seconds = _lifetime(KEPT_SECONDS, next_go_live(gen) if by_the_clock else None)
    if seconds >= 1 and not _outage.active() and _settle_owed():
        try:
            cache.set(key, (gen, value), seconds)
        except Exception as error:
            _outage.failed(error)
    return value


def anonymous_read(request):
    """A GET or HEAD from a reader with no session, no pending message and no credentials:
    the request whose answer is the same for everyone."""
    cookies = request.COOKIES
    return request.method in ("GET", "HEAD") and not (
        settings.SESSION_COOKIE_NAME in cookies
        or "messages" in cookies  # django.contrib.messages' CookieStorage
        or request.headers.get("Authorization")
    )


def shareable(response):
    """Whether a response may be kept and shared: a whole 200 page that sets no cookie, does
    not vary by cookie and does not say private, no-cache or no-store (previews, drafts,
    downloads and mailing-list links say so)."""
    cache_control = response.get("Cache-Control", "").lower()
    return not (
        response.streaming
        or response.status_code != 200
        or response.cookies
        or any(word in cache_control for word in ("private", "no-cache", "no-store"))
        or has_vary_header(response, "Cookie")
        or has_vary_header(response, "*")
    )


class PageCacheMiddleware(CacheMiddleware):
    """Shared-cache headers and the in-app page cache, for anonymous readers' public pages.

    It sits *outside* the session, CSRF, authentication and messages middleware: it sees the
    response after them, so a page that touched the session (`Vary: Cookie`) or set a cookie
    is never marked public nor stored, and a stored page is served without running them.
    GZipMiddleware sits inside it, so stored pages are kept compressed (per Accept-Encoding).

    Never shared or stored: requests with a session cookie (staff, editors: the "Not public"
    banner), a pending message or an Authorization header; anything but GET and HEAD;
    answers other than 200, streaming ones (downloads), ones that set a cookie, vary by
    cookie or say private, no-cache or no-store (previews, drafts, mailing-list links).
    """

    def process_request(self, request):
        request._cache_update_cache = False
        request._page_cache_entry = None
        if settings.CACHE_MIDDLEWARE_SECONDS <= 0 or not anonymous_read(request):
            return None
        if _outage.active():
            return None  # rendered, not stored, without waiting for a cache that is away
        try:
            if not _settle_owed():
                return None
            return self._fetch(request)
        except Exception as error:
            # The site keeps working without its cache: the page is rendered, not stored.
            _outage.failed(error)
            request._cache_update_cache = False
            return None

    def _page_key(self, request):
        # One key per address and encoding, holding the generation it was rendered in: the
        # page and the current generation come back in one round trip to the cache, and a
        # page of an older generation is simply a miss (and overwritten).
        gzip = (
            "gzip"
            if re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))
            else "plain"
        )
        url = hashlib.md5(request.build_absolute_uri().encode(), usedforsecurity=False)
        return f"{self.key_prefix}page.{url.hexdigest()}.{gzip}"

    def _fetch(self, request):
        key = request._page_cache_key = self._page_key(request)
        found = self.cache.get_many([GENERATION_KEY, key])
        gen = request._page_cache_generation = found.get(GENERATION_KEY) or generation()
        entry = found.get(key)
        if entry is None or entry["generation"] != gen:
            request._cache_update_cache = True
            PAGE_CACHE_MISS.inc()
            return None
        PAGE_CACHE_HIT.inc()
        request._page_cache_entry = entry
        response = HttpResponse(entry["content"], status=entry["status"])
        for header, value in entry["headers"]:
            response[header] = value
        response["Content-Length"] = str(len(entry["content"]))
        response["X-Page-Cache"] = "hit"
        return response

    def process_response(self, request, response):
        if getattr(request, "_page_cache_entry", None) is not None:
            entry = request._page_cache_entry
            self._public_headers(response, entry["keys"], entry["live_at"])
            return response
        if not anonymous_read(request) or not shareable(response):
            if getattr(request, "_cache_update_cache", False):
                response["X-Page-Cache"] = "miss"
            return response
        if settings.CACHE_MIDDLEWARE_SECONDS <= 0 and settings.FRONT_CACHE_SECONDS <= 0:
            return response
        keys = {SITE_KEY, *getattr(request, "surrogate_keys", ())}
        try:
            live_at = next_go_live(getattr(request, "_page_cache_generation", None))
        except Exception:
            # Without knowing when the next item goes live, no cache may keep the page.
            logger.exception("Could not find the next scheduled go-live")
            return response
        if getattr(request, "_cache_update_cache", False):
            response["X-Page-Cache"] = "miss"
            try:
                self._store(request, response, keys, live_at)
            except Exception as error:
                _outage.failed(error)
        self._public_headers(response, keys, live_at)
        return response

    def _store(self, request, response, keys, live_at):
        seconds = settings.CACHE_MIDDLEWARE_SECONDS
        max_age = get_max_age(response)
        if max_age is not None:
            seconds = min(seconds, max_age)
        # A scheduled item must appear when its time comes: the page dies before then.
        seconds = _lifetime(seconds, live_at)
        if seconds < 1:
            return
        varies = {h.strip().lower() for h in cc_delim_re.split(response.get("Vary", "")) if h}
        if not varies <= {"accept-encoding"}:
            return  # keyed by address and encoding only, so nothing else may vary
        # A page rendered before a change is never stored after it: not while this process
        # owes the cache a new generation, nor once the generation moved on during the render.
        if _outage.active() or not _settle_owed():
            return
        if self.cache.get(GENERATION_KEY) != request._page_cache_generation:
            return
        entry = {
            "generation": request._page_cache_generation,
            "status": response.status_code,
            "headers": [(h, v) for h, v in response.items() if h.lower() != "content-length"],
            "content": response.content,
            "keys": sorted(keys),
            "live_at": live_at,
        }
        self.cache.set(request._page_cache_key, entry, seconds)

    @staticmethod
    def _public_headers(response, keys, live_at):
        """Browsers keep the page briefly, shared caches longer; neither past the next go-live."""
        browser = max(0, _lifetime(settings.PAGE_CACHE_BROWSER_SECONDS, live_at))
        shared = max(0, _lifetime(settings.FRONT_CACHE_SECONDS, live_at))
        if settings.FRONT_CACHE_SECONDS <= 0:
            patch_response_headers(response, browser)  # this server's cache only
            return
        patch_cache_control(response, public=True, max_age=browser, s_maxage=shared)
        names = " ".join(sorted(keys))
        response["Surrogate-Key"] = names
        response["xkey"] = names
        if settings.FRONT_CACHE_TAG_HEADER:
            response["Cache-Tag"] = ",".join(sorted(keys))
