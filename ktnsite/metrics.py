"""Prometheus metrics at /metrics: requests, database and cache timings, and the site's own figures.

Counted in each process (prometheus_client): requests and their latency by view, database
queries and Redis commands by duration, page-cache hits and misses, front-cache purges sent and
failed (caching.purge). Under gunicorn's several workers (and with the task worker beside
them) every process writes its figures to files in PROMETHEUS_MULTIPROC_DIR and a scrape adds
them up; without it (`scripts/run`, tests) the one process's own figures are shown.

Read from the database at scrape time: each readiness check's outcome, outbox messages by kind and state (dead letters are
`failed`), alerts sent, tasks queued and the oldest one's age, enquiries waiting, subscribers
by state. A part that cannot be read (the database away) is left out and counted in
`ktnsite_metrics_collect_errors` rather than failing the scrape.

The endpoint is answered by a middleware placed just after the health probes, so it works
whatever the Host header, is never stored by the page cache, and says `Cache-Control:
no-store` to any front cache. It is shown only to whom the health details are
(HEALTH_DETAIL_ADDRESSES, or `Authorization: Bearer HEALTH_TOKEN`); anyone else gets a 403.
"""

import logging
import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db.models import Count
from django.http import HttpResponse, HttpResponseNotAllowed
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

METRICS_PATH = "/metrics"
# Bounded label values: any other method is "other", so junk requests cannot add series.
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

REQUESTS = Counter(
    "ktnsite_http_requests",
    "Requests answered, by view, method and status",
    ["view", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "ktnsite_http_request_duration_seconds",
    "Time from the request reaching the site's middleware to its response, by view",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERY_SECONDS = Histogram(
    "ktnsite_db_query_duration_seconds",
    "Database queries by duration, per connection alias",
    ["alias"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5),
)
CACHE_SECONDS = Histogram(
    "ktnsite_cache_command_duration_seconds",
    "Redis commands of the shared cache by duration, per command",
    ["command"],
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1),
)


# --- timing database queries and cache commands -----------------------------------------

_query_children = {}


def _time_query(execute, sql, params, many, context):
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        alias = context["connection"].alias
        child = _query_children.get(alias)
        if child is None:
            child = _query_children[alias] = QUERY_SECONDS.labels(alias)
        child.observe(time.perf_counter() - start)


def time_queries(sender, connection, **kwargs):
    """connection_created receiver: every query on the new connection is timed."""
    if _time_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(_time_query)


_cache_children = {}


def observe_cache_command(command, seconds):
    child = _cache_children.get(command)
    if child is None:
        child = _cache_children[command] = CACHE_SECONDS.labels(command)
    child.observe(seconds)


def connect_signals():
    from django.db.backends.signals import connection_created

    if settings.METRICS_ENABLED:
        connection_created.connect(time_queries, dispatch_uid="ktnsite-metrics-queries")


# --- the site's own figures, read at scrape time ------------------------------------------


def _outbox(families):
    from mailinglist.models import Delivery
    from outbox.delivery import OutboxState, outbox_models

    messages = GaugeMetricFamily(
        "ktnsite_outbox_messages",
        "Outbox messages by kind and state; failed ones are dead letters",
        labels=["kind", "state"],
    )
    alerts = 0
    for model in outbox_models():
        counts = dict(model.objects.order_by().values_list("state").annotate(n=Count("pk")))
        for state in OutboxState.values:
            messages.add_metric([model._meta.label, state], counts.get(state, 0))
        if model is Delivery:
            alerts = counts.get(OutboxState.SENT, 0)
    families.append(messages)
    families.append(
        GaugeMetricFamily(
            "ktnsite_alert_deliveries_sent", "Alert and digest items sent to subscribers", alerts
        )
    )


def _tasks(families):
    from ktnsite.health import check_task_queue

    _ok, detail = check_task_queue()
    if "backlog" not in detail:
        return  # not the database queue: nothing to count
    families.append(
        GaugeMetricFamily("ktnsite_tasks_queued", "Tasks ready to run", detail["backlog"])
    )
    families.append(
        GaugeMetricFamily(
            "ktnsite_tasks_oldest_age_seconds",
            "How long the oldest ready task has waited",
            detail["oldest_age_seconds"],
        )
    )


def _enquiries(families):
    from contacts.models import Enquiry

    waiting = Enquiry.objects.filter(handled_at__isnull=True).count()
    families.append(
        GaugeMetricFamily(
            "ktnsite_enquiries_waiting", "Enquiries no editor has marked dealt with", waiting
        )
    )


def _subscribers(families):
    from mailinglist.models import State, Subscriber

    counts = dict(Subscriber.objects.order_by().values_list("state").annotate(n=Count("pk")))
    family = GaugeMetricFamily(
        "ktnsite_subscribers", "Mailing-list subscribers by state", labels=["state"]
    )
    for state in State.values:
        family.add_metric([state], counts.get(state, 0))
    families.append(family)


def _readiness(families):
    from ktnsite.health import readiness

    family = GaugeMetricFamily(
        "ktnsite_ready_check",
        "Each check of /health/ready: 1 passing, 0 failing (its details: /health/ready)",
        labels=["check"],
    )
    for name, result in readiness().items():
        family.add_metric([name], 1 if result["ok"] else 0)
    families.append(family)


SITE_PARTS = {
    "readiness": _readiness,
    "outbox": _outbox,
    "tasks": _tasks,
    "enquiries": _enquiries,
    "subscribers": _subscribers,
}


class SiteCollector:
    """The figures read from the database, one query or two per part."""

    def collect(self):
        families = []
        errors = GaugeMetricFamily(
            "ktnsite_metrics_collect_errors",
            "Parts of this scrape that could not be read (1: see the log)",
            labels=["part"],
        )
        for name, part in SITE_PARTS.items():
            try:
                part(families)
                errors.add_metric([name], 0)
            except Exception as exc:
                logger.warning("Metrics: could not read %s: %r", name, exc)
                errors.add_metric([name], 1)
        return [*families, errors]


def exposition():
    """The text a scrape reads: every process's counters, then the site's figures."""
    if settings.METRICS_MULTIPROC_DIR:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=settings.METRICS_MULTIPROC_DIR)
    else:
        registry = REGISTRY
    site = CollectorRegistry(auto_describe=False)
    site.register(SiteCollector())
    return generate_latest(registry) + generate_latest(site)


# --- the endpoint and the per-request figures ---------------------------------------------


def _view_name(request, response):
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    if response.get("X-Page-Cache") == "hit":
        return "(page cache)"
    return "(unresolved)"  # not found, a static file, or refused before any view


def metrics_response(request):
    from ktnsite.health import may_see_details

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if may_see_details(request):
        response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    else:
        response = HttpResponse(
            "Metrics are shown to the configured addresses or with the token only.\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    # Never kept by the page cache, a front cache or a browser.
    response["Cache-Control"] = "no-store"
    return response


class MetricsMiddleware:
    """Answers /metrics; counts and times every other request by the view that answered it."""

    def __init__(self, get_response):
        if not settings.METRICS_ENABLED:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == METRICS_PATH:
            return metrics_response(request)
        start = time.perf_counter()
        response = self.get_response(request)
        view = _view_name(request, response)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        REQUEST_SECONDS.labels(view).observe(time.perf_counter() - start)
        return response
