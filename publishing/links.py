"""Internal links: the kinds of item a body may link to (posts, reports, contacts, topics),
registered by the apps that own them, so that publishing can check, find and resolve them
without importing those apps.

A stable link is `/go/<kind>/<id>/`: it survives slug changes (the view redirects to the
item's current address), and the checks before publishing can tell at once which item it
names. Links typed by hand (`/news/<slug>/`) are resolved through the URLconf instead.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse


@dataclass(frozen=True)
class LinkKind:
    kind: str  # "post": the /go/<kind>/ part and the search result's label
    label: str  # "Post": what editors read
    model: type
    view_name: str  # the public detail view, e.g. "news:detail" (looked up by slug)
    visible: Callable  # () -> QuerySet of what readers may open now
    title_field: str = "title"


LINK_KINDS: dict[str, LinkKind] = {}


def register_link_kind(kind, *, label, model, view_name, visible, title_field="title"):
    """Called from an app's AppConfig.ready(): items of `model` may be linked to by search."""
    LINK_KINDS[kind] = LinkKind(kind, label, model, view_name, visible, title_field)


def kind_for_view(view_name):
    return next((k for k in LINK_KINDS.values() if k.view_name == view_name), None)


def stable_url(kind, pk):
    return reverse("go", kwargs={"kind": kind, "pk": pk})


def _own_hosts():
    hosts = {urlsplit(settings.SITE_URL).netloc.lower()}
    hosts.update(h.lower() for h in settings.ALLOWED_HOSTS if h and not h.startswith("."))
    return hosts - {"*", ""}


def internal_path(href):
    """The path of `href` if it points at this site (relative, or absolute on our host), else
    None."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "mailto:", "tel:")):
        return None
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc.lower() not in _own_hosts():
        return None
    if not parts.netloc and not parts.path.startswith("/"):
        return None
    return parts.path or "/"


@dataclass(frozen=True)
class LinkTarget:
    """What an internal link names: its kind, and either a pk or a slug."""

    kind: LinkKind
    pk: int | None = None
    slug: str | None = None


def link_target(path):
    """The registered item `path` names (a stable /go/ link or a detail page), or None when
    the path is not an item page at all (the home page, a list, a file)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name == "go":
        kind = LINK_KINDS.get(match.kwargs["kind"])
        return LinkTarget(kind, pk=match.kwargs["pk"]) if kind else None
    kind = kind_for_view(match.view_name)
    if kind and "slug" in match.kwargs:
        return LinkTarget(kind, slug=match.kwargs["slug"])
    return None


def path_exists(path):
    """True if `path` answers at all: resolves in the URLconf or is a kept redirect."""
    try:
        resolve(path)
        return True
    except Resolver404:
        pass
    from django.contrib.redirects.models import Redirect

    return Redirect.objects.filter(old_path=path).exists()
