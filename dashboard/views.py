"""The readers' figures as CSV, and the page-view beacon that feeds the daily counts."""

import csv
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from dashboard import counts
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


def live_item_key(key):
    """`key` ("post-12") when it names an item readers may see now, else None."""
    model_name, _, pk = str(key).rpartition("-")
    if not pk.isdigit() or len(pk) > 18:
        return None
    for content_type in content_types():
        if content_type.model._meta.model_name == model_name:
            return key if content_type.visible().filter(pk=int(pk)).exists() else None
    return None


def _count(request, item, host):
    """Count one view of `item` from `host` (None: not known) under the counter's rules:
    on, a reader (no staff, no robot), from our own pages, within the rate limit per
    address, a live item. Never raises: a counter must never break or slow a page."""
    if not counts.enabled() or not counts.is_reader(request):
        return
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return
    try:
        # One allowance per address for the beacon and the image alike.
        if is_ratelimited(
            request,
            group="dashboard.count_view",
            key="ip",
            rate=getattr(settings, "DASHBOARD_VIEW_RATE", "60/m"),
            increment=True,
        ):
            return
        key = live_item_key(str(item)[:40])
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
