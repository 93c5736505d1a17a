"""Liveness and readiness probes for load balancers and operators (/health/live, /health/ready).

A middleware placed first answers both paths itself, so a probe works whatever its Host
header (no ALLOWED_HOSTS check, no HTTPS redirect, no session, no page cache) and every
answer says `Cache-Control: no-store`. The public learns only "ok" or "unavailable"; which
check failed and why is told to HEALTH_DETAIL_ADDRESSES and to a bearer of HEALTH_TOKEN.
"""

import hmac
import ipaddress
import json
import logging
import os
import time

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import timezone

from ktnsite.security import client_ip

logger = logging.getLogger(__name__)

LIVE_PATH = "/health/live"
READY_PATH = "/health/ready"


# --- checks: each returns (ok, detail), detail a short dict an operator reads -------------


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, {}


def check_cache():
    # A write and a read back: a Redis that accepts connections but cannot store fails too.
    cache = caches["default"]
    value = str(time.monotonic_ns())
    cache.set("health:probe", value, 30)
    return cache.get("health:probe") == value, {}


def check_media_storage():
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        # Saving a file creates the folder, so a missing one is made here as a save would;
        # one that cannot be made or written to fails.
        os.makedirs(storage.location, exist_ok=True)
        ok = os.access(storage.location, os.W_OK)
        return ok, {} if ok else {"error": "the media folder is not writable"}
    # S3 and the like: a HEAD request for a name that need not exist; an unreachable bucket
    # or refused credentials raise.
    storage.exists("health-probe")
    return True, {}


def check_task_queue():
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return True, {"backend": "not the database queue"}
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    backlog = ready.count()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = int((timezone.now() - oldest).total_seconds()) if oldest else 0
    ok = backlog <= settings.HEALTH_TASK_BACKLOG_MAX and age <= settings.HEALTH_TASK_MAX_AGE_SECONDS
    return ok, {"backlog": backlog, "oldest_age_seconds": age}


def check_outbox():
    from outbox.delivery import outbox_models

    dead = {model._meta.label: model.objects.dead().count() for model in outbox_models()}
    dead = {label: count for label, count in dead.items() if count}
    return not dead, {"dead_letters": dead}


def check_scheduled_jobs():
    # A job with no success within twice its interval: the scheduler is down, or the job
    # keeps failing (its runs in the admin say which).
    from scheduling.runner import overdue_jobs

    late = {
        name: {"last_success": when.isoformat() if when else None, "every": str(every)}
        for name, when, every in overdue_jobs()
    }
    return not late, {"overdue": late}


READINESS_CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "media_storage": check_media_storage,
    "task_queue": check_task_queue,
    "outbox": check_outbox,
    "scheduled_jobs": check_scheduled_jobs,
}


def readiness():
    """Every check's outcome; one that raises is failed with the exception's class and text."""
    results = {}
    for name, check in READINESS_CHECKS.items():
        try:
            ok, detail = check()
        except Exception as exc:
            logger.warning("Readiness check %s failed: %r", name, exc)
            ok, detail = False, {"error": f"{type(exc).__name__}: {exc}"[:300]}
        results[name] = {"ok": ok, **detail}
    return results


# --- who may read the details -------------------------------------------------------------


def may_see_details(request):
    token = settings.HEALTH_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if (
        token
        and header.startswith("Bearer ")
        and hmac.compare_digest(header[7:].strip().encode(), token.encode())
    ):
        return True
    # A request that came through a proxy the site was not told to trust (a front cache on
    # the same machine connects from loopback) is not believed to come from that address.
    if settings.CLIENT_IP_PROXY_COUNT == 0 and settings.CLIENT_IP_HEADER in request.META:
        return False
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in _detail_networks())


def _detail_networks():
    networks = []
    for item in settings.HEALTH_DETAIL_ADDRESSES:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            logger.warning("HEALTH_DETAIL_ADDRESSES: %r is not an address or network", item)
    return networks


# --- the middleware -----------------------------------------------------------------------


def _json(payload, status):
    response = HttpResponse(
        json.dumps(payload, sort_keys=True), status=status, content_type="application/json"
    )
    # Never kept by the page cache, a front cache or a browser: a probe must see now.
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """Answers the two probe paths before any other middleware sees the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/")
        if path not in (LIVE_PATH, READY_PATH):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if path == LIVE_PATH:
            # The process answers; nothing else is touched.
            return _json({"status": "ok"}, 200)
        results = readiness()
        ok = all(result["ok"] for result in results.values())
        payload = {"status": "ok" if ok else "unavailable"}
        if may_see_details(request):
            payload["failed"] = [name for name, result in results.items() if not result["ok"]]
            payload["checks"] = results
        return _json(payload, 200 if ok else 503)
