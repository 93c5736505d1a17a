"""The full-page cache for anonymous readers: Django's cache middleware keyed by a content generation.

Every public page is a pure function of the database, so a page is stored in the shared
cache (`CACHE_MIDDLEWARE_ALIAS`, Redis in production) under a key that includes a *content
generation*: a random value, also in the shared cache, replaced whenever a row that a public
page may show is saved or deleted. Every app server reads the same generation, so one save
invalidates every server's pages at once, and nothing that matters lives in a process.

Scheduled items go live by themselves at their publish time (no cron), so a page never
outlives the next scheduled item's publish time. Pages with a POST form are stored with a
placeholder where Django's `{% csrf_token %}` input carries its token, and each reader gets
their own token filled in when the page is served (the "cacheable placeholder" technique of
Rails' cacheable-csrf-token, or an ESI hole in Varnish), so CSRF protection stays whole.
A view that renders another value which must differ for every reader (the enquiry form's
one-time token) lists it in `request.page_cache_fresh_uuids`: the stored copy has a hole
there too, and each reader gets a new UUID in it.
"""

import logging
import math
import re
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.cache import CacheMiddleware
from django.middleware.csrf import get_token
from django.utils.cache import (
    get_cache_key,
    get_max_age,
    has_vary_header,
    learn_cache_key,
    patch_cache_control,
    patch_response_headers,
)

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache.generation"

# Rows that never appear on a public page: saving them (a sign-up, an enquiry, a login, a
# task, a revision, a preview link) leaves cached pages alone. Everything else invalidates,
# so a content model added later is covered without anyone remembering to register it.
NOT_PUBLIC = frozenset(
    {
        "admin",
        "auth",
        "axes",  # django-axes logs every login (AccessLog): a login must not empty the cache
        "contenttypes",
        "sessions",
        "reversion",
        "django_tasks_database",
        "mailinglist",
        "contacts.enquiry",
        "publishing.previewlink",
    }
)

# What Django's {% csrf_token %} tag renders; the token is replaced by CSRF_HOLE in the
# stored copy. The hole cannot occur in a page otherwise: every string a page shows is
# escaped or sanitised, so a bare "<" never comes from content.
CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')
CSRF_HOLE = b"<pagecache:csrf-token>"
UUID_HOLE = b"<pagecache:uuid:%d>"


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


def _is_public(model):
    opts = model._meta
    return opts.app_label not in NOT_PUBLIC and opts.label_lower not in NOT_PUBLIC


def _content_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed fires before and after; after is enough
    page_cache_invalidate()


def connect_signals():
    """Listen to each public model (and its many-to-many tables) by name.

    Not to every model: a receiver for all senders would cost every other model Django's
    fast paths (deletes without loading rows, many-to-many adds without a SELECT first).
    """
    for model in apps.get_models(include_auto_created=True):
        if not _is_public(model):
            continue
        uid = f"pagecache.{model._meta.label_lower}"
        if model._meta.auto_created:
            m2m_changed.connect(_content_changed, sender=model, dispatch_uid=uid)
        else:
            post_save.connect(_content_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_content_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not through._meta.auto_created:  # an explicit through model is saved itself
                m2m_changed.connect(_content_changed, sender=through, dispatch_uid=f"{uid}.m2m")


def next_go_live(gen):
    """The POSIX time at which the next scheduled item goes live or a live one is taken down
    (its take-down time), or None.

    One query (a UNION over every publishable model) per generation: any save changes the
    generation, and the answer is kept no longer than until that moment.
    """
    from publishing.models import Publishable

    cache = _cache()
    key = f"pagecache.{gen}.next-live"
    found = cache.get(key)
    if found is not None:
        return found or None
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
    found = first[0].timestamp() if first else 0
    lifetime = settings.CACHE_MIDDLEWARE_SECONDS
    if found:
        lifetime = min(lifetime, math.floor(found - time.time()))
    if lifetime >= 1:
        cache.set(key, found, lifetime)
    return found or None


class PageCacheMiddleware(CacheMiddleware):
    """Django's CacheMiddleware for anonymous readers, with a generation in its key prefix.

    It sits *inside* SessionMiddleware, CsrfViewMiddleware and MessageMiddleware: it sees the
    view's response before they add a CSRF cookie or `Vary: Cookie`, and a page it serves
    still passes through them, so each reader gets their own CSRF cookie.

    Never cached: requests with a session cookie (staff, editors: the "Not public" banner),
    a pending message or an Authorization header; anything but GET and HEAD; responses other
    than 200, streaming ones (downloads), ones that set a cookie or say private, no-cache,
    no-store or max-age=0 (previews, drafts, mailing-list links).
    """

    def _wanted(self, request):
        if settings.CACHE_MIDDLEWARE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return False
        cookies = request.COOKIES
        return not (
            settings.SESSION_COOKIE_NAME in cookies
            or "messages" in cookies  # django.contrib.messages' CookieStorage
            or request.headers.get("Authorization")
        )

    def process_request(self, request):
        request._cache_update_cache = False
        if not self._wanted(request):
            return None
        try:
            return self._fetch(request)
        except Exception:
            # The site keeps working without its cache: the page is rendered, not stored.
            logger.exception("Page cache unavailable")
            request._cache_update_cache = False
            return None

    def _fetch(self, request):
        gen = request._page_cache_generation = generation()
        prefix = request._page_cache_prefix = f"{self.key_prefix}page.{gen}"
        entry = None
        key = get_cache_key(request, prefix, "GET", cache=self.cache)
        if key is not None:
            entry = self.cache.get(key)
        if entry is None and request.method == "HEAD":
            key = get_cache_key(request, prefix, "HEAD", cache=self.cache)
            entry = self.cache.get(key) if key is not None else None
        if entry is None:
            request._cache_update_cache = True
            return None
        return self._replay(request, entry)

    def _replay(self, request, entry):
        content = entry["content"]
        if entry["csrf"]:
            # get_token() also makes CsrfViewMiddleware send this reader's cookie.
            content = content.replace(CSRF_HOLE, get_token(request).encode())
        for n in range(entry["uuids"]):
            content = content.replace(UUID_HOLE % n, str(uuid.uuid4()).encode())
        response = HttpResponse(content, status=entry["status"])
        for header, value in entry["headers"]:
            response[header] = value
        self._browser_headers(response, entry["expires"] - time.time(), csrf=entry["csrf"])
        response["X-Page-Cache"] = "hit"
        return response

    def process_response(self, request, response):
        if not getattr(request, "_cache_update_cache", False):
            return response
        request._cache_update_cache = False
        response["X-Page-Cache"] = "miss"
        try:
            self._store(request, response)
        except Exception:
            logger.exception("Could not store a page in the page cache")
        return response

    def _store(self, request, response):
        cache_control = response.get("Cache-Control", "").lower()
        if (
            response.streaming
            or response.status_code != 200
            or response.cookies
            or any(word in cache_control for word in ("private", "no-cache", "no-store"))
            or has_vary_header(response, "*")
            or len(get_messages(request))
        ):
            return
        seconds = settings.CACHE_MIDDLEWARE_SECONDS
        max_age = get_max_age(response)
        if max_age is not None:
            seconds = min(seconds, max_age)
        live_at = next_go_live(request._page_cache_generation)
        if live_at is not None:
            # A scheduled item must appear when its time comes: the page dies before then.
            seconds = min(seconds, math.floor(live_at - time.time()))
        if seconds < 1:
            return

        content = response.content
        csrf = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        if csrf:
            content, holes = CSRF_INPUT.subn(rb"\1" + CSRF_HOLE + rb"\2", content)
            if not holes:
                return  # the token went somewhere this cache cannot refill
        fresh = [str(value).encode() for value in getattr(request, "page_cache_fresh_uuids", ())]
        for n, value in enumerate(fresh):
            content = content.replace(value, UUID_HOLE % n)
        entry = {
            "status": response.status_code,
            "headers": [(h, v) for h, v in response.items() if h.lower() != "content-length"],
            "content": content,
            "csrf": csrf,
            "uuids": len(fresh),
            "expires": time.time() + seconds,
        }
        key = learn_cache_key(
            request, response, seconds, request._page_cache_prefix, cache=self.cache
        )
        self.cache.set(key, entry, seconds)
        self._browser_headers(response, seconds, csrf=csrf)
        return

    @staticmethod
    def _browser_headers(response, seconds_left, *, csrf):
        """Browsers keep a page briefly, and never past the server copy's end."""
        max_age = max(0, min(settings.PAGE_CACHE_BROWSER_SECONDS, math.floor(seconds_left)))
        patch_response_headers(response, max_age)
        if csrf:
            # The page carries this reader's CSRF token: no shared cache may keep it.
            patch_cache_control(response, private=True)
