"""The readers' figures as CSV, and the page-view beacon that feeds the daily counts."""

import csv
import logging
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import _get_ip, is_ratelimited

from dashboard import counts, pending
from dashboard.readers import readers_context
from publishing.csvexport import csv_cell
from publishing.registry import content_types

logger = logging.getLogger(__name__)

PERMISSION = "dashboard.view_dailycount"


def _downloads(context):
    yield ["item type", "item", "downloads"]
    for bar in context["downloads"]:
        yield [bar["type"], bar["label"], bar["value"]]


def _views(context):
    yield ["item type", "item", "views"]
    for bar in context["views"]:
        yield [bar["type"], bar["label"], bar["value"]]


def _searches(context):
    yield ["day", "searches"]
    for column in context["searches"]:
        yield [column["day"].isoformat(), column["value"]]


def _nothing_found(context):
    yield ["words", "times"]
    for row in context["nothing_found"]:
        yield [row["key"], row["total"]]


FIGURES = {
    "views": _views,
    "downloads": _downloads,
    "searches": _searches,
    "nothing-found": _nothing_found,
}


def readers_csv(request, figure):
    """One figure of "What readers did" (the last 30 days, or `?days=90`, 365) as CSV; staff only."""
    if figure not in FIGURES:
        raise Http404("No such figure.")
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    context = readers_context(request)
    today = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="readers-{figure}-{today}.csv"'
    writer = csv.writer(response)
    for row in FIGURES[figure](context):
        writer.writerow([csv_cell(value) for value in row])
    return response


# Whether a key names a live item, as this process last found it: a counted view then needs no
# database read. A key found live is trusted for LIVE_SECONDS (an item taken down may still be
# counted that long), one not found for NOT_LIVE_SECONDS only (an item just published is
# counted at once on the app server that saved it, within seconds elsewhere); a save or a
# delete of an item forgets its key in this process. At most LIVE_KEYS keys are kept, so a
# flood of made-up keys costs memory no more than this (and each a read, past the rate limit).
LIVE_SECONDS = 60
NOT_LIVE_SECONDS = 5
LIVE_KEYS = 20_000
_live = {}


def _find_live(key):
    model_name, _, pk = key.rpartition("-")
    if not pk.isdigit() or len(pk) > 18:
        return False
    for content_type in content_types():
        if content_type.model._meta.model_name == model_name:
            return content_type.visible().filter(pk=int(pk)).exists()
    return False


def known_live(key):
    """Whether this process found `key` live within the last LIVE_SECONDS."""
    found = _live.get(key)
    return found is not None and found[0] and found[1] > time.monotonic()


def live_item_key(key, *, cached=False):
    """`key` ("post-12") when it names an item readers may see now, else None; with
    `cached`, as this process found it a moment ago (`_live`), if it did."""
    key = str(key)
    now = time.monotonic()
    found = _live.get(key) if cached else None
    if found is not None and found[1] > now:
        return key if found[0] else None
    live = _find_live(key)
    if len(_live) >= LIVE_KEYS:
        _live.clear()
    _live[key] = (live, now + (LIVE_SECONDS if live else NOT_LIVE_SECONDS))
    return key if live else None


def forget_live_item(sender, instance, **kwargs):
    """post_save, post_delete of any model: this process asks the database again about the
    item's key next time."""
    if _live:
        _live.pop(f"{sender._meta.model_name}-{instance.pk}", None)


def _count(request, item, host):
    """Count one view of `item` from `host` (None: not known) under the counter's rules:
    on, a reader (no staff, no robot), from our own pages, within the rate limit per
    address, a live item. Never raises: a counter must never break or slow a reader's page.

    In Redis (`dashboard.pending`) when the shared cache is Redis and answers: one script
    for the rate limit and the count of an item this process knows live, else the limit
    first, then the database's word on the item, then the count. Otherwise in the database
    at once (`dashboard.counts.count_view`), within django-ratelimit's limit, as before."""
    if not counts.enabled() or not counts.is_reader(request):
        return
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return
    try:
        item = str(item)[:40]
        # django-ratelimit's own reading of the address (RATELIMIT_IP_META_KEY, IPv6 by /64),
        # so the limit counts the same readers in Redis as in the fallback below.
        address = _get_ip(request)
        if known_live(item):
            if pending.count(address, item, host) is not None:
                return
        else:
            allowed = pending.within_limit(address)
            if allowed is not None:
                key = live_item_key(item, cached=True) if allowed else None
                if key is not None and pending.count(None, key, host) is None:
                    counts.count_view(key, host)  # Redis failed in between
                return
        # One allowance per address for the beacon and the image alike.
        if is_ratelimited(
            request,
            group="dashboard.count_view",
            key="ip",
            rate=getattr(settings, "DASHBOARD_VIEW_RATE", "60/m"),
            increment=True,
        ):
            return
        key = live_item_key(item, cached=True)
        if key is not None:
            counts.count_view(key, host)
    except Exception:  # noqa: BLE001 - a counter must never break or slow a reader's page
        logger.warning("Could not count a view.", exc_info=True)


@csrf_exempt  # no session, no account: a forged beacon can only add one view, rate-limited
@never_cache
@require_POST
def count_view_beacon(request):
    """POST /count/ from a page's `navigator.sendBeacon`: one view of `item` from `from`.

    Answers 204 whatever happens, quickly, so a blocked, flooded or failing counter never
    shows on a page. Counts nothing when counting is off, for staff and robots, for another
    site's pages (`Sec-Fetch-Site`), past the rate limit per address, or for an item that is
    not live; the address is used by the rate limit in the cache, never stored.
    """
    host = counts.referrer_host(request.POST.get("from", "")[:200], request.get_host())
    _count(request, request.POST.get("item", ""), counts.OTHER_HOST if host is None else host)
    return _no_content()


# The smallest transparent GIF: 1 x 1, 43 bytes.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
    b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@never_cache
@require_GET
def count_view_pixel(request):
    """GET /count/view.gif?item=post-12: the view of a reader whose browser runs no script.

    `base.html` puts `<noscript><img src=...></noscript>` on each counted page: a browser
    running scripts never fetches it (a `<noscript>`'s content is then text, not an image),
    so a reader with JavaScript is counted once, by the beacon. Same rules as the beacon
    (`_count`), one rate-limit allowance for both. Where the reader came from is not known
    (the image's own referrer is our page), so no referrer host is counted. Always answers
    the same 1 x 1 transparent GIF, whatever happens, never stored by any cache.
    """
    _count(request, request.GET.get("item", ""), None)
    return HttpResponse(PIXEL, content_type="image/gif")


def _no_content():
    return HttpResponse(status=204)
