"""Security plumbing: the admin's relaxed CSP, the one client address every limit counts, bad-input refusal."""

import functools
import ipaddress
import re
from urllib.parse import urlsplit

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from ipware import get_client_ip


@functools.cache
def media_origin():
    """The scheme://host images are linked from when it is not ours (a bucket, a CDN), or None.

    Asked of the media storage itself, so whatever builds the addresses (MEDIA_URL on disk;
    the bucket, endpoint or custom domain on S3) is what the policy allows.
    """
    parts = urlsplit(default_storage.url("csp-probe.png"))
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None


@functools.cache
def admin_prefix():
    """The admin's path as `request.path_info` shows it: without the script prefix of a site
    mounted under a path, so it is the same whichever request asks first (it is cached)."""
    address, prefix = reverse("admin:index"), get_script_prefix()
    return "/" + address.removeprefix(prefix) if address.startswith(prefix) else address


# What a view may set to change its own policy (django-csp's decorators); such a response
# gets its policy built for it.
_PER_RESPONSE_POLICY = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
    "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro",
)  # fmt: skip
_built_policies = {}


def _excluded_prefixes():
    """Whether either policy leaves some paths without a header (then it depends on the path)."""
    return any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    )


@receiver(setting_changed)
def _media_origin_changed(*, setting, **kwargs):
    if setting in {"STORAGES", "MEDIA_URL"}:
        media_origin.cache_clear()
    if setting == "ROOT_URLCONF":
        admin_prefix.cache_clear()
    _built_policies.clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware: images from the media host, and the admin's relaxed directives.

    Under /admin/, `settings.CSP_ADMIN_REPLACE` replaces the readers' directives: CKEditor 4
    cannot run under the readers' policy, and the admin is many views we do not own, so a
    per-view decorator would not reach them all; the prefix does. Readers' pages never get
    the relaxed directives.
    """

    def process_response(self, request, response):
        # With no nonce and no view's own policy, the headers are the same for every page of
        # a kind (the admin's, the readers'), so each kind's are built once: building them
        # took a third of the time of a page served from the page cache.
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE_POLICY)
            or _excluded_prefixes()
        ):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # django-csp leaves Django's debug pages alone
        admin = request.path_info.startswith(admin_prefix())
        headers = _built_policies.get(admin)
        if headers is None:
            probe = HttpResponse()
            super().process_response(request, probe)
            headers = _built_policies[admin] = [
                (name, probe[name]) for name in (HEADER, HEADER_REPORT_ONLY) if name in probe
            ]
        for name, value in headers:
            if name not in response:
                response[name] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(admin_prefix()):
            parts.replace = {**settings.CSP_ADMIN_REPLACE, **(parts.replace or {})}
        if origin := media_origin():
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", []), origin]
            parts.update = update
        return parts


def client_ip(request):
    """The client's address, for every per-address limit: django-ratelimit's `key="ip"`
    (RATELIMIT_IP_META_KEY) and django-axes' login throttling (AXES_CLIENT_IP_CALLABLE).

    With no trusted proxy (CLIENT_IP_PROXY_COUNT = 0) it is REMOTE_ADDR, and no header a
    client can send is believed. Behind N proxies that each append the address they saw to
    CLIENT_IP_HEADER (X-Forwarded-For), the client is the Nth entry from the right: the
    entries further left are whatever the client claimed. django-ipware reads the chain
    (any number of hops, IPv6, ports, RFC 7239 `for=`). A missing, short or malformed header
    falls back to REMOTE_ADDR, and an unusable REMOTE_ADDR (a Unix socket gives "") to
    UNKNOWN_CLIENT, so a limit is always counted against some address and never raises.
    """
    count = settings.CLIENT_IP_PROXY_COUNT
    if count > 0:
        header = settings.CLIENT_IP_HEADER
        chain = request.META.get(header, "")
        # Fewer entries than proxies: the header did not come through all of them.
        if isinstance(chain, str) and chain.count(",") + 1 >= count:
            # ipware's proxy_count counts the proxies listed after the client, which is
            # one fewer than the proxies in front of us (the last one is REMOTE_ADDR).
            address, _routable = get_client_ip(
                request, proxy_count=count - 1, request_header_order=[header], strict=False
            )
            if address:
                return address
    return _valid_address(request.META.get("REMOTE_ADDR")) or UNKNOWN_CLIENT


# Counted against when no address can be read: every such request shares one allowance.
UNKNOWN_CLIENT = "0.0.0.0"  # noqa: S104 - an address to count against, never bound


def _valid_address(value):
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


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


# Password spraying (a few passwords tried across many usernames from one address) never
# trips django-axes' per username + address lockout, and axes compares every lockout
# parameter with one limit: counting the address alone at that limit would let five typos
# in an office lock everyone there out. So failures per address are counted separately,
# with django-ratelimit and the client address every other limit uses, at a higher limit
# (LOGIN_ADDRESS_FAILURE_LIMIT per LOGIN_LOCKOUT_MINUTES).
LOGIN_ADDRESS_GROUP = "ktnsite.login.address"


def _login_address_failures(request, *, increment):
    """Failed log-ins from this request's client address in the current window."""
    from django_ratelimit.core import get_usage

    limit, period = settings.LOGIN_ADDRESS_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME
    usage = get_usage(
        request,
        group=LOGIN_ADDRESS_GROUP,
        key="ip",
        rate=(limit, int(period.total_seconds())),
        increment=increment,
    )
    return usage["count"] if usage else 0


def count_failed_login(sender, credentials, request=None, **kwargs):
    """user_login_failed receiver: one more failure for the client address, whatever the name."""
    if request is not None:
        _login_address_failures(request, increment=True)


class LoginAddressLimitBackend:
    """First authentication backend: refuses every login from an address over its failures.

    It flags the request as django-axes does, so AxesMiddleware answers with the same
    lockout page (login_locked_out, 429). It authenticates nobody itself, and has no
    get_user() on purpose: like axes' standalone backend, it is then never the backend a
    session (or the test client's force_login) is recorded against.
    """

    def authenticate(self, request, **credentials):
        from django.core.exceptions import PermissionDenied

        if request is None:
            return None
        if (
            _login_address_failures(request, increment=False)
            >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
        ):
            request.axes_locked_out = True
            raise PermissionDenied("Too many failed log-ins from this address.")
        return None


# The methods any page of the site answers; everything else (TRACE, PUT, DELETE, ...) is 405.
ALLOWED_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


class BadInputMiddleware:
    """Refuse what no page of the site can use, before any view or database sees it.

    - A method outside ALLOWED_METHODS gets 405 (TRACE echoes a request back, so it is
      refused everywhere); OPTIONS is answered here with the Allow list and no body, rather
      than by running a page's view.
    - A query parameter or form field (name or value) holding a NUL character, which
      PostgreSQL refuses in text and no reader types, gets the 400 page; so does a query
      parameter longer than MAX_QUERY_VALUE characters (no link of ours is anywhere near).
      Long form fields are left to each form's max_length, and request bodies to
      DATA_UPLOAD_MAX_MEMORY_SIZE.
    - A session cookie that is not a session key Django could have made (a NUL, quotes,
      junk) is no session: dropped before the session is read, and deleted in the answer.
    """

    MAX_QUERY_VALUE = 1000

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED_METHODS:
            response = HttpResponseNotAllowed(ALLOWED_METHODS)
            response["Cache-Control"] = "no-store"
            return response
        if request.method == "OPTIONS":
            response = HttpResponse(status=200)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            response["Content-Length"] = "0"
            return response
        problem = self._problem(request)
        if problem:
            return render(
                request, "400.html", {"problem": problem}, status=HttpResponseBadRequest.status_code
            )
        name = settings.SESSION_COOKIE_NAME
        malformed = name in request.COOKIES and not SESSION_KEY.fullmatch(request.COOKIES[name])
        if malformed:
            del request.COOKIES[name]
        response = self.get_response(request)
        if malformed and name not in response.cookies:
            response.delete_cookie(
                name,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            # An answer that sets a cookie is nobody else's to share.
            response["Cache-Control"] = "private, no-store"
        return response

    def _problem(self, request):
        for key, value in _pairs(request.GET):
            if "\x00" in key or "\x00" in value:
                return "The address contains a character that is not allowed."
            if len(key) > self.MAX_QUERY_VALUE or len(value) > self.MAX_QUERY_VALUE:
                return "The address is too long."
        if request.method == "POST" and request.content_type in FORM_TYPES:
            for key, value in _pairs(request.POST):
                if "\x00" in key or "\x00" in value:
                    return "The form contains a character that is not allowed."
        return None


FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# What Django's session engines make (32 of a-z0-9, get_random_string); the front cache's
# VCL (deploy/varnish/default.vcl) passes only such a session cookie on to the app.
SESSION_KEY = re.compile(r"[a-z0-9]{8,128}")


def _pairs(querydict):
    for key, values in querydict.lists():
        for value in values:
            yield key, value
