"""The Prometheus endpoint /metrics (ktnsite.metrics): who may read it, and what it counts."""

import http.server
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from caching.purge import purge_now
from tests.factories import make_enquiry, make_subscriber

pytestmark = pytest.mark.django_db

PUBLIC = {"REMOTE_ADDR": "203.0.113.7"}
PROJECT = Path(__file__).resolve().parents[2]


def scrape(client, **extra):
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_an_operator_on_a_configured_address_reads_metrics_whatever_the_host_header(
    client, django_assert_max_num_queries
):
    from outbox.delivery import outbox_models

    # One count per outbox (each kind of mail the apps send), and ten for the rest.
    # Each outbox costs two: readiness's dead-letter count and the count by state.
    with django_assert_max_num_queries(4 + 2 * len(outbox_models())):
        samples = scrape(client, HTTP_HOST="10.0.0.12:9100")
    assert value(samples, "ktnsite_subscribers", state="confirmed") == 0
    assert ("ktnsite_outbox_messages", (("kind", "contacts.Enquiry"), ("state", "failed"))) in (
        samples
    )


def test_a_reader_gets_403_and_not_one_figure(client, settings):
    settings.HEALTH_TOKEN = "scrape-token"
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong-token"}):
        response = client.get("/metrics", **PUBLIC, **headers)
        assert response.status_code == 403
        assert b"ktnsite_" not in response.content and b"_total" not in response.content
        assert response["Cache-Control"] == "no-store"
    samples = scrape(client, HTTP_AUTHORIZATION="Bearer scrape-token", **PUBLIC)
    assert "ktnsite_outbox_messages" in {name for name, _labels in samples}


def test_a_reader_behind_an_untrusted_proxy_is_not_believed_to_be_on_loopback(client):
    # A front cache on this machine connects from 127.0.0.1 on behalf of anyone.
    response = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 403


def test_only_get_and_head_are_answered(client):
    assert client.post("/metrics").status_code == 405


def test_requests_are_counted_and_timed_by_view_with_their_queries(client):
    before = scrape(client)
    assert client.get("/news/").status_code == 200
    assert client.get("/news/no-such-post/").status_code == 404
    after = scrape(client)
    ok = {"view": "news:index", "method": "GET", "status": "200"}
    missing = {"view": "news:detail", "method": "GET", "status": "404"}
    assert value(after, "ktnsite_http_requests_total", **ok) == (
        value(before, "ktnsite_http_requests_total", **ok) + 1
    )
    assert value(after, "ktnsite_http_requests_total", **missing) == (
        value(before, "ktnsite_http_requests_total", **missing) + 1
    )
    count = "ktnsite_http_request_duration_seconds_count"
    assert value(after, count, view="news:index") == value(before, count, view="news:index") + 1
    queries = "ktnsite_db_query_duration_seconds_count"
    assert value(after, queries, alias="default") > value(before, queries, alias="default")


def test_junk_methods_do_not_add_series(client):
    client.generic("BREW", "/news/")
    samples = scrape(client)
    methods = {
        dict(labels).get("method")
        for name, labels in samples
        if name == "ktnsite_http_requests_total"
    }
    assert "BREW" not in methods and "other" in methods


def test_page_cache_hits_and_misses_are_counted_and_metrics_are_never_stored(client, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    before = scrape(client)
    client.get("/news/")
    second = client.get("/news/")
    assert second["X-Page-Cache"] == "hit"
    after = scrape(client)
    for outcome in ("hit", "miss"):
        name = "ktnsite_page_cache_lookups_total"
        assert value(after, name, outcome=outcome) == value(before, name, outcome=outcome) + 1
    served = {"view": "(page cache)", "method": "GET", "status": "200"}
    assert value(after, "ktnsite_http_requests_total", **served) >= 1
    # Scraped again, /metrics is answered anew (the page cache never kept it).
    make_subscriber(state="confirmed")
    assert value(scrape(client), "ktnsite_subscribers", state="confirmed") == 1


def test_outbox_enquiries_and_subscribers_are_read_at_scrape_time(client):
    make_enquiry(state="failed", attempts=5)
    make_enquiry(state="sent", handled_at=timezone.now())
    make_enquiry(state="pending")
    make_subscriber(state="confirmed")
    make_subscriber(state="pending")
    samples = scrape(client)
    dead = value(samples, "ktnsite_outbox_messages", kind="contacts.Enquiry", state="failed")
    pending = value(samples, "ktnsite_outbox_messages", kind="contacts.Enquiry", state="pending")
    assert (dead, pending) == (1, 1)
    assert value(samples, "ktnsite_enquiries_waiting") == 2
    assert value(samples, "ktnsite_subscribers", state="confirmed") == 1
    assert value(samples, "ktnsite_subscribers", state="pending") == 1
    assert value(samples, "ktnsite_alert_deliveries_sent") == 0
    # The dead letter fails readiness, which the scrape shows check by check.
    assert value(samples, "ktnsite_ready_check", check="outbox") == 0
    assert value(samples, "ktnsite_ready_check", check="database") == 1


def test_the_task_queue_and_its_oldest_task_age_are_shown(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="outbox.tasks.send_outbox_task",
        backend_name="default",
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=20)
    )
    samples = scrape(client)
    assert value(samples, "ktnsite_tasks_queued") == 1
    assert 1190 <= value(samples, "ktnsite_tasks_oldest_age_seconds") <= 1300


class _PurgeAnswer(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 - the method's name is the HTTP verb
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), _PurgeAnswer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_front_cache_purges_sent_and_failed_are_counted(client, settings, purge_server):
    settings.FRONT_CACHE_PURGERS = [
        {"BACKEND": "caching.purge.VarnishPurger", "OPTIONS": {"urls": [purge_server]}},
        # Nothing listens on port 9 of loopback (discard): this one fails.
        {"BACKEND": "caching.purge.HTTPPurger", "OPTIONS": {"url": "http://127.0.0.1:9/"}},
    ]
    before = scrape(client)
    assert purge_now({"post-1"}) == [1]
    after = scrape(client)
    name = "ktnsite_front_cache_purges_total"
    assert value(after, name, outcome="sent") == value(before, name, outcome="sent") + 1
    assert value(after, name, outcome="failed") == value(before, name, outcome="failed") + 1


def test_metrics_off_means_no_endpoint(client, settings):
    settings.METRICS_ENABLED = False  # before the client's first request loads the middleware
    assert client.get("/metrics").status_code == 404


def _shell(code, **env):
    environment = {**os.environ, "DJANGO_SECRET_KEY": "x", **env}
    return subprocess.run(  # noqa: S603 - our own arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip


def test_with_a_multiprocess_folder_a_scrape_adds_up_every_process(tmp_path):
    # As under gunicorn beside db_worker: the worker counts purges, a web worker is scraped.
    env = {
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    (tmp_path / "metrics").mkdir()
    count = "from caching.purge import PURGES_FAILED as c; c.inc(2)"
    _shell(count, **env)
    _shell(count, **env)
    text = _shell("from ktnsite.metrics import exposition; print(exposition().decode())", **env)
    assert 'ktnsite_front_cache_purges_total{outcome="failed"} 4.0' in text


def test_redis_commands_of_the_shared_cache_are_timed(client, settings):
    if "RedisCache" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("the shared cache is Redis only with REDIS_URL (the PostgreSQL pass sets it)")
    from django.core.cache import cache

    name = "ktnsite_cache_command_duration_seconds_count"
    before = value(scrape(client), name, command="SET")
    cache.set("metrics-test", "1", 30)
    # Ours, and the readiness check's write during the first scrape (read after the counts).
    assert value(scrape(client), name, command="SET") == before + 2
