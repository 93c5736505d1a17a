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
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

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
    # is kept in the shared cache for DASHBOARD_PANEL_CACHE_SECONDS (300) per permission set,
    # so most visits to the admin home run none of its queries. What needs doing today is
    # never cached. `vary` (request) -> str names anything else the HTML depends on.
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


def _cache_key(panel, request):
    vary = panel.vary(request) if panel.vary else ""
    # The day is in the key, so figures "the last 30 days" never outlive the day they end.
    day = timezone.localdate().isoformat()
    return f"dashboard:panel:{panel.key}:{day}:{permission_set(request.user)}:{vary}"


def _render(panel, request):
    context = panel.context(request)
    if context is None:
        return None
    return render_to_string(panel.template, {**context, "panel": panel}, request=request)


def _cached_render(panel, request):
    seconds = getattr(settings, "DASHBOARD_PANEL_CACHE_SECONDS", 300)
    if not seconds:
        return _render(panel, request)
    key = _cache_key(panel, request)
    try:
        kept = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that is away costs the queries, not the page
        logger.warning("Could not read a dashboard panel from the cache.", exc_info=True)
        return _render(panel, request)
    if kept is not None:
        return kept or None  # "" is kept for "nothing to say"
    html = _render(panel, request)
    try:
        cache.set(key, html or "", seconds)
    except Exception:  # noqa: BLE001
        logger.warning("Could not keep a dashboard panel in the cache.", exc_info=True)
    return html


def rendered_panels(request):
    """[(panel, html)] for the panels `request.user` may see and that have something to say."""
    shown = []
    for panel in panels():
        if not panel.allowed(request.user):
            continue
        html = _cached_render(panel, request) if panel.cached else _render(panel, request)
        if html is None:
            continue
        shown.append((panel, html))
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
    "forget_panel",
    "panels",
    "permission_set",
    "register_panel",
    "rendered_panels",
    "working_days_before",
]
