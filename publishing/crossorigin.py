"""Cross-origin protection for the forms anonymous readers post from cached pages.

Pages any cache may share carry no per-reader CSRF token, so the public forms (mailing-list
sign-up, enquiry) are protected the way Go 1.25's `http.CrossOriginProtection` protects every
form, and the way the Django proposal "Implement Modern CSRF Protection" (django/new-features
#98) would: by what the browser itself says about where a request comes from.

- `Sec-Fetch-Site` (every current browser sends it): `same-origin` or `none` (typed,
  bookmarked) passes; `same-site` and `cross-site` are refused.
- Without it (older browsers), an `Origin` header must name this site (or one of
  `CSRF_TRUSTED_ORIGINS`); no `Origin` either means a request no browser made for another
  site (curl, a feed reader, a test client), and it passes: CSRF is an attack through a
  victim's browser, and a non-browser client could send whatever headers it liked anyway.

A reader who is signed in (who sends a session cookie) gets Django's token check as well,
as the admin always does: their session is something a forged request could use.
"""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt, csrf_protect

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def cross_origin_reason(request):
    """Why `request` must be refused as cross-origin, or None when it may pass."""
    if request.method in SAFE_METHODS:
        return None
    origin = request.headers.get("Origin", "")
    if origin and origin in settings.CSRF_TRUSTED_ORIGINS:
        return None
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        if site in ("same-origin", "none"):
            return None
        return f"The browser says this form was sent from another site (Sec-Fetch-Site: {site})."
    if not origin:
        return None
    if urlsplit(origin).netloc.lower() == request.get_host().lower():
        return None
    return "This form was sent from another site (its Origin header names another site)."


def has_session(request):
    """Whether the reader sends a session cookie (is, or was, signed in)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def public_form(view):
    """Decorate a view whose form anonymous readers post from a page any cache may keep."""
    with_token = csrf_protect(view)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        reason = cross_origin_reason(request)
        if reason is not None:
            return import_string(settings.CSRF_FAILURE_VIEW)(request, reason=reason)
        if has_session(request):
            return with_token(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    # Django's token check is done above, only for readers with a session.
    return csrf_exempt(wrapped)
