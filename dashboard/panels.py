"""The dashboard's panels: each app contributes what needs doing today with one `register_panel`.

The dashboard imports no app of ours. An app (contacts' waiting enquiries, a review workflow,
a scheduler's overdue jobs) calls `register_panel(...)` from its `AppConfig.ready()`; the
admin home then shows each panel the signed-in editor may see, in `order`. A panel is a
template and a function of the request returning its context, or None when it has nothing to
say to this editor (the panel is then left out).

Dates of content types (going live, taken down, an opportunity closing, an event starting)
are not panels: they come from the content registry (`publishing.registry.CalendarDate`) and
fill the one calendar strip (`dashboard.calendar`).
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

logger = logging.getLogger(__name__)


def change_urls(model):
    """pk -> its change form's address, from one `reverse()` per type: panels link hundreds
    of items, and a `reverse()` each was a sixth of the readers' panel's time."""
    opts = model._meta
    try:
        marker = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[987654321])
    except NoReverseMatch:
        return lambda pk: ""
    before, _, after = marker.partition("987654321")
    return lambda pk: f"{before}{pk}{after}"


# How far ahead the calendar strip looks, and how long an enquiry may wait before it is late.
DAYS_AHEAD = 14
WORKING_DAYS_LATE = 2


@dataclass(frozen=True)
class Panel:
    key: str  # unique, also the panel's HTML id ("dashboard-<key>")
    title: str  # its heading, for editors
    template: str  # rendered with the context below, plus `panel` and `request`
    context: Callable  # (request) -> dict, or None to leave the panel out for this editor
    order: int = 100  # lower first
    # A permission ("contacts.view_enquiry") or (user) -> bool: without it the panel is not
    # built at all (its queries are not run).
    permission: str | Callable | None = None
    # Figures that change by the day (readers' counts, subscribers per week): the panel's HTML
    # is kept in the shared cache per permission set, fresh for DASHBOARD_PANEL_CACHE_SECONDS
    # (300), then shown stale while a task makes it anew (up to a day), so visits to the
    # admin home run none of its queries unless nothing is kept. What needs doing today is
    # never cached. `vary` (request) -> str names anything else the HTML depends on; it must
    # read only the request's query string (a refresh is made from that and the user).
    cached: bool = False
    vary: Callable | None = None

    def allowed(self, user):
        if self.permission is None:
            return True
        if callable(self.permission):
            return bool(self.permission(user))
        return user.has_perm(self.permission)


_panels: dict[str, Panel] = {}


def register_panel(
    key, *, title, template, context, order=100, permission=None, cached=False, vary=None
) -> Panel:
    """Add a panel to the admin home; call once, from an app's `AppConfig.ready()`."""
    if key in _panels and _panels[key].context is not context:
        raise ValueError(f"A dashboard panel {key!r} is already registered.")
    panel = Panel(key, title, template, context, order, permission, cached, vary)
    _panels[key] = panel
    return panel


def forget_panel(key):
    """Undo `register_panel(key)`: for tests that add a panel for a while only."""
    _panels.pop(key, None)


def panels():
    """Every registered panel, in order."""
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))


def permission_set(user):
    """A short name for what `user` may see: editors with the same permissions share it."""
    if user.is_active and user.is_superuser:
        return "superuser"  # every permission, without reading them all
    perms = "\n".join(sorted(user.get_all_permissions()))
    return hashlib.sha256(perms.encode()).hexdigest()[:24]


# A kept panel older than DASHBOARD_PANEL_CACHE_SECONDS (or made before today) is still shown
# for up to DASHBOARD_PANEL_STALE_SECONDS (a day) while one visit queues its refresh; the
# lock below stops many editors queueing the same one, and lets another try after a minute
# if the worker never ran it.
REFRESH_LOCK_SECONDS = 60


@dataclass(frozen=True)
class Shown:
    """A panel on the admin home: its HTML and, for a kept panel, when its figures were made."""

    panel: Panel
    html: str
    made: datetime | None = None


def _vary(panel, request):
    return panel.vary(request) if panel.vary else ""


def _cache_key(panel, permissions, vary):
    # No day in the key: a copy made yesterday is stale (refreshed), not lost at midnight.
    return f"dashboard:panel:v2:{panel.key}:{permissions}:{vary}"


def _render(panel, request):
    context = panel.context(request)
    if context is None:
        return None
    return render_to_string(panel.template, {**context, "panel": panel}, request=request)


def _keep(key, html, made):
    """Keep a panel's HTML ("" for "nothing to say") with when it was made, for the grace."""
    entry = {"html": html or "", "made": made.timestamp(), "day": timezone.localdate(made)}
    try:
        cache.set(key, entry, max(_stale_seconds(), _fresh_seconds()))
    except Exception:  # noqa: BLE001 - a cache that is away costs the queries, not the page
        logger.warning("Could not keep a dashboard panel in the cache.", exc_info=True)


def _fresh_seconds():
    return getattr(settings, "DASHBOARD_PANEL_CACHE_SECONDS", 300)


def _stale_seconds():
    return getattr(settings, "DASHBOARD_PANEL_STALE_SECONDS", 24 * 60 * 60)


def _cached_render(panel, request, stale):
    """(html or None, when made): fresh from the cache, stale from it (its lock's key then
    added to `stale`, to be refreshed), or computed now when nothing usable is kept."""
    now = timezone.now()
    if not _fresh_seconds():
        return _render(panel, request), None
    key = _cache_key(panel, permission_set(request.user), _vary(panel, request))
    try:
        kept = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that is away costs the queries, not the page
        logger.warning("Could not read a dashboard panel from the cache.", exc_info=True)
        return _render(panel, request), now
    if isinstance(kept, dict):
        made = datetime.fromtimestamp(kept["made"], tz=UTC)
        age = (now - made).total_seconds()
        if 0 <= age < _stale_seconds():
            if age >= _fresh_seconds() or kept["day"] != timezone.localdate(now):
                stale.append((panel.key, f"{key}:refreshing"))
            return kept["html"] or None, made
    html = _render(panel, request)
    _keep(key, html, now)
    return html, now


def _queue_refresh(request, stale):
    """Queue one task to make this visit's stale panels anew, as this editor (whose
    permission set the copies are for); a panel is left out when another visit queued it
    within the minute (its lock), and a failure here is never an error on the page."""
    from dashboard.tasks import refresh_dashboard_panels

    try:
        due = [key for key, lock in stale if cache.add(lock, 1, REFRESH_LOCK_SECONDS)]
        if due:
            refresh_dashboard_panels.enqueue(
                panels=due,
                user_id=request.user.pk,
                permissions=permission_set(request.user),
                query=request.GET.urlencode(),
            )
    except Exception:  # noqa: BLE001 - the stale copy is shown; a later visit tries again
        logger.warning("Could not queue the refresh of dashboard panels.", exc_info=True)


def refresh(panel_key, user, permissions, query):
    """Make a kept panel anew for `user`'s permission set (the task queued by a visit that
    found it stale). Nothing is made when the user's rights changed since (then they are
    another set's) or the panel is gone; the figures are those `user` may see."""
    panel = _panels.get(panel_key)
    if panel is None or not panel.cached or not user.is_active or not user.is_staff:
        return False
    if permission_set(user) != permissions or not panel.allowed(user):
        return False
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = reverse("admin:index")
    request.GET = QueryDict(query)
    request.user = user
    key = _cache_key(panel, permissions, _vary(panel, request))
    _keep(key, _render(panel, request), timezone.now())
    cache.delete(f"{key}:refreshing")
    return True


def rendered_panels(request):
    """[Shown] for the panels `request.user` may see and that have something to say."""
    shown, stale = [], []
    for panel in panels():
        if not panel.allowed(request.user):
            continue
        if panel.cached:
            html, made = _cached_render(panel, request, stale)
        else:
            html, made = _render(panel, request), None
        if html is None:
            continue
        shown.append(Shown(panel, html, made and timezone.localtime(made)))
    if stale:
        _queue_refresh(request, stale)
    return shown


def working_days_before(moment, days):
    """The moment `days` working days (Monday to Friday) before `moment`, same time of day.

    Public holidays are not known to the site: they count as working days.
    """
    while days > 0:
        moment -= timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


__all__ = [
    "DAYS_AHEAD",
    "WORKING_DAYS_LATE",
    "Panel",
    "Shown",
    "forget_panel",
    "panels",
    "permission_set",
    "register_panel",
    "refresh",
    "rendered_panels",
    "working_days_before",
]
