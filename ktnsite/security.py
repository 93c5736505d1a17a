"""Security plumbing: the admin's relaxed Content-Security-Policy and the client address for login throttling."""

import functools
from urllib.parse import urlsplit

import csp.middleware
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import reverse
from django.utils.module_loading import import_string


@functools.cache
def media_origin():
    """The scheme://host images are linked from when it is not ours (a bucket, a CDN), or None.

    Asked of the media storage itself, so whatever builds the addresses (MEDIA_URL on disk;
    the bucket, endpoint or custom domain on S3) is what the policy allows.
    """
    parts = urlsplit(default_storage.url("csp-probe.png"))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None


@receiver(setting_changed)
def _media_origin_changed(*, setting, **kwargs):
    if setting in {"STORAGES", "MEDIA_URL"}:
        media_origin.cache_clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware: images from the media host, and the admin's relaxed directives.

    Under /admin/, `settings.CSP_ADMIN_REPLACE` replaces the readers' directives: CKEditor 4
    cannot run under the readers' policy, and the admin is many views we do not own, so a
    per-view decorator would not reach them all; the prefix does. Readers' pages never get
    the relaxed directives.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(reverse("admin:index")):
            parts.replace = {**settings.CSP_ADMIN_REPLACE, **(parts.replace or {})}
        if origin := media_origin():
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", []), origin]
            parts.update = update
        return parts


def client_ip(request):
    """The address login attempts are counted against (django-axes' AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless the operator has named the header their proxy sets
    (RATELIMIT_IP_META_KEY, e.g. HTTP_X_REAL_IP): a header a client can send itself is
    never believed by default. In an X-Forwarded-For list only the last entry, the one our
    proxy appended, is trusted; the earlier ones are whatever the client claimed.
    """
    key = getattr(settings, "RATELIMIT_IP_META_KEY", None)
    if key and (callable(key) or "." in key):  # django-ratelimit also accepts a function
        return (key if callable(key) else import_string(key))(request)
    if key:
        forwarded = request.META.get(key, "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")


def login_locked_out(request, original_response=None, credentials=None):
    """The page a locked-out login gets (django-axes' AXES_LOCKOUT_CALLABLE): a 429 in the site's style."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "ktnsite/login_locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": seconds // 60},
        status=429,
    )
    # Each further failure during the pause starts it again, so "from now" is right.
    response["Retry-After"] = str(seconds)
    return response
