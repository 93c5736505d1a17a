"""Items' public addresses by slug, without running reverse() for each item.

A page links many items (a list page ten posts and their topics, an article its report,
contacts and related posts), and reverse() costs about 100 Python calls each time. The
address of a slug route is the same string around the slug for every slug, so it is
reversed once per process (and script prefix and URLconf) with a placeholder, and each item
fills in its own slug: the same string reverse() gives.
"""

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Django's <slug:...> converter; reverse() leaves these characters as they are, so filling
# them in gives exactly what reverse() would. Anything else goes through reverse() itself.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_PLACEHOLDER = "slug-placeholder-3f9c1e"

_around_slug = {}  # (viewname, script prefix, urlconf) -> (before, after), or None
_fixed = {}  # (viewname, script prefix, urlconf) -> address


def _key(viewname):
    # The script prefix differs when the site is mounted under a path, and a request or a
    # test may use another URLconf: each gets its own entry.
    return viewname, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


def slug_url(viewname, slug):
    """reverse(viewname, kwargs={"slug": slug}), for a route whose only argument is a slug."""
    if not _SLUG.fullmatch(slug):
        return reverse(viewname, kwargs={"slug": slug})
    key = _key(viewname)
    try:
        parts = _around_slug[key]
    except KeyError:
        address = reverse(viewname, kwargs={"slug": _PLACEHOLDER})
        parts = address.split(_PLACEHOLDER)
        # Only a route that shows its slug once can be filled in; any other stays reversed.
        parts = _around_slug[key] = tuple(parts) if len(parts) == 2 else None
    if parts is None:
        return reverse(viewname, kwargs={"slug": slug})
    return parts[0] + slug + parts[1]


def fixed_url(viewname):
    """reverse(viewname) for a route without arguments (an index page), reversed once."""
    key = _key(viewname)
    try:
        return _fixed[key]
    except KeyError:
        address = _fixed[key] = reverse(viewname)
        return address
