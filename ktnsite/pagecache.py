"""Pages any cache may share: shared-cache headers for anonymous readers, and an in-app page cache.

Every public page is a pure function of the database and the same bytes for every anonymous
reader (no per-reader token: the public forms are protected by Fetch Metadata instead, see
publishing.crossorigin). So an anonymous reader's page says `Cache-Control: public` with
`max-age` (browsers) and `s-maxage` (Varnish, a CDN), never past the next scheduled go-live,
and names what it shows in `Surrogate-Key` and `xkey` (publishing.frontcache); a change
purges exactly those keys after its commit (publishing.purge).

For deployments without a front cache, the same pages are also kept in the shared Django
cache (`CACHE_MIDDLEWARE_ALIAS`, Redis in production), each with the *content generation* it
was rendered in: a random value, also in the shared cache, replaced whenever a public row
(publishing.frontcache's allow-list) changes. A page is read together with the current
generation in one round trip and served only if they match. Every app server reads the same
generation, so one save invalidates every server's pages at once.
"""

import hashlib
import logging
import math
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.middleware.cache import CacheMiddleware
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import (
    cc_delim_re,
    get_max_age,
    has_vary_header,
    patch_cache_control,
    patch_response_headers,
)

from publishing.frontcache import SITE_KEY, content_changed

logger = logging.getLogger(__name__)

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


def page_cache_invalidate():
    """Make every cached page stale on every server (after any change readers may see).

    The generation changes now and again when the surrounding transaction commits: a request
    that read the new generation before the commit may have stored the old content under it.
    """
    _new_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_new_generation)


def _new_generation():
    try:
        _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # An editor's save must not fail because the cache is down; pages stored before the
        # outage still expire within CACHE_MIDDLEWARE_SECONDS.
        logger.exception("Could not invalidate the page cache")


def _content_changed(sender, **kwargs):
    page_cache_invalidate()


def connect_signals():
    """Empty the page cache whenever a public row changes (publishing.frontcache decides which)."""
    content_changed.connect(_content_changed, dispatch_uid="pagecache.invalidate")


def _first_go_live():
    """The POSIX time at which the next scheduled item goes live or a live one is taken down
    (its take-down time), or 0: one query, a UNION over every publishable model."""
    from publishing.models import Publishable

    models = [model for model in apps.get_models() if issubclass(model, Publishable)]
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
    first = list(moments[0].union(*moments[1:]).order_by("publish_at")[:1])
    return first[0].timestamp() if first else 0


def next_go_live(gen=None):
    """The POSIX time at which the next scheduled item goes live or a live one is taken
    down, or None.

    Asked of the database once per content generation (any save changes the generation) and
    kept in the cache, with the generation it belongs to, no longer than until that moment;
    read with the generation in one round trip. Without a working cache, asked every time.
    """
    try:
        cache = _cache()
        found = cache.get_many([GENERATION_KEY, NEXT_LIVE_KEY])
        gen = gen or found.get(GENERATION_KEY) or generation()
        stored = found.get(NEXT_LIVE_KEY)
    except Exception:
        logger.exception("Page cache unavailable")
        return _first_go_live() or None
    if stored is not None and stored[0] == gen:
        return stored[1] or None
    first = _first_go_live()
    lifetime = max(settings.CACHE_MIDDLEWARE_SECONDS, settings.FRONT_CACHE_SECONDS)
    if first:
        lifetime = min(lifetime, math.floor(first - time.time()))
    if lifetime >= 1:
        try:
            cache.set(NEXT_LIVE_KEY, (gen, first), lifetime)
        except Exception:
            logger.exception("Page cache unavailable")
    return first or None


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
        try:
            return self._fetch(request)
        except Exception:
            # The site keeps working without its cache: the page is rendered, not stored.
            logger.exception("Page cache unavailable")
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
            return None
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
            except Exception:
                logger.exception("Could not store a page in the page cache")
        self._public_headers(response, keys, live_at)
        return response

    def _store(self, request, response, keys, live_at):
        seconds = settings.CACHE_MIDDLEWARE_SECONDS
        max_age = get_max_age(response)
        if max_age is not None:
            seconds = min(seconds, max_age)
        if live_at is not None:
            # A scheduled item must appear when its time comes: the page dies before then.
            seconds = min(seconds, math.floor(live_at - time.time()))
        if seconds < 1:
            return
        varies = {h.strip().lower() for h in cc_delim_re.split(response.get("Vary", "")) if h}
        if not varies <= {"accept-encoding"}:
            return  # keyed by address and encoding only, so nothing else may vary
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
        left = math.floor(live_at - time.time()) if live_at else None
        browser = settings.PAGE_CACHE_BROWSER_SECONDS
        shared = settings.FRONT_CACHE_SECONDS
        if left is not None:
            browser, shared = min(browser, left), min(shared, left)
        browser, shared = max(0, browser), max(0, shared)
        if settings.FRONT_CACHE_SECONDS <= 0:
            patch_response_headers(response, browser)  # this server's cache only
            return
        patch_cache_control(response, public=True, max_age=browser, s_maxage=shared)
        names = " ".join(sorted(keys))
        response["Surrogate-Key"] = names
        response["xkey"] = names
        if settings.FRONT_CACHE_TAG_HEADER:
            response["Cache-Tag"] = ",".join(sorted(keys))
