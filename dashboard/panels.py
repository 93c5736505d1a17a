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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.template.loader import render_to_string

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

    def allowed(self, user):
        if self.permission is None:
            return True
        if callable(self.permission):
            return bool(self.permission(user))
        return user.has_perm(self.permission)


_panels: dict[str, Panel] = {}


def register_panel(key, *, title, template, context, order=100, permission=None) -> Panel:
    """Add a panel to the admin home; call once, from an app's `AppConfig.ready()`."""
    if key in _panels and _panels[key].context is not context:
        raise ValueError(f"A dashboard panel {key!r} is already registered.")
    panel = Panel(key, title, template, context, order, permission)
    _panels[key] = panel
    return panel


def forget_panel(key):
    """Undo `register_panel(key)`: for tests that add a panel for a while only."""
    _panels.pop(key, None)


def panels():
    """Every registered panel, in order."""
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))


def rendered_panels(request):
    """[(panel, html)] for the panels `request.user` may see and that have something to say."""
    shown = []
    for panel in panels():
        if not panel.allowed(request.user):
            continue
        context = panel.context(request)
        if context is None:
            continue
        html = render_to_string(panel.template, {**context, "panel": panel}, request=request)
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
    "register_panel",
    "rendered_panels",
    "working_days_before",
]
