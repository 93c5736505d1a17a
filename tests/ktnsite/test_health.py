"""The load balancer's and operator's probes: /health/live and /health/ready (ktnsite.health)."""

import socket
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contacts.models import Enquiry
from tests.factories import jobs_fresh, make_enquiry

pytestmark = pytest.mark.django_db

PUBLIC = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.fixture(autouse=True)
def jobs_on_time():
    # The scheduled jobs' rows are made by the test session's migrate; in a long run they are
    # older than twice the 5-minute jobs' interval, with no run: overdue (test_scheduler.py).
    jobs_fresh()


def test_liveness_answers_whatever_the_host_header_and_touches_nothing(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = client.get("/health/live", HTTP_HOST="10.0.0.12:8000", **PUBLIC)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readiness_is_200_with_every_check_up_even_for_a_foreign_host(
    client, django_assert_max_num_queries
):
    from outbox.delivery import outbox_models

    # The database's ping, the scheduled jobs, and one count of dead letters per outbox.
    with django_assert_max_num_queries(2 + len(outbox_models())):
        response = client.get("/health/ready", HTTP_HOST="lb-probe.internal")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {
        "database", "cache", "media_storage", "task_queue", "outbox", "scheduled_jobs"
    }  # fmt: skip


def test_readiness_is_503_naming_the_cache_when_redis_is_unreachable(client, settings):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        **django_settings.CACHES,
        "default": {
            "BACKEND": "ktnsite.cache.RedisCache",  # what REDIS_URL sets up
            "LOCATION": f"redis://127.0.0.1:{port}/9",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        },
    }
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["failed"] == ["cache"]
    assert "ConnectionError" in body["checks"]["cache"]["error"]


def test_readiness_is_503_naming_the_outbox_when_a_dead_letter_exists(client):
    make_enquiry(state="failed", attempts=5, last_error="550 mailbox unavailable")
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["outbox"]
    assert body["checks"]["outbox"]["dead_letters"] == {"contacts.Enquiry": 1}


def test_readiness_fails_when_the_oldest_queued_task_has_waited_too_long(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEALTH_TASK_MAX_AGE_SECONDS = 600
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="outbox.tasks.send_outbox_task",
        backend_name="default",
        run_after=timezone.now() - timedelta(hours=1),
    )
    assert client.get("/health/ready").status_code == 200  # just queued
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=20)
    )
    response = client.get("/health/ready")
    assert response.status_code == 503
    queue = response.json()["checks"]["task_queue"]
    assert queue["backlog"] == 1 and queue["oldest_age_seconds"] >= 1200


def test_the_public_learns_only_that_it_is_unavailable(client):
    make_enquiry(state="failed")
    response = client.get("/health/ready", **PUBLIC)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    # Through a front cache nobody configured as trusted (it connects from loopback), the
    # loopback address proves nothing either.
    response = client.get("/health/ready", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.json() == {"status": "unavailable"}


def test_a_token_or_a_configured_address_gets_the_details(client, settings):
    settings.HEALTH_TOKEN = "s3cret-probe-token"
    settings.HEALTH_DETAIL_ADDRESSES = ["198.51.100.0/24"]
    make_enquiry(state="failed")
    wrong = client.get("/health/ready", HTTP_AUTHORIZATION="Bearer wrong", **PUBLIC)
    assert wrong.json() == {"status": "unavailable"}
    by_token = client.get("/health/ready", HTTP_AUTHORIZATION="Bearer s3cret-probe-token", **PUBLIC)
    assert by_token.json()["failed"] == ["outbox"]
    by_address = client.get("/health/ready", REMOTE_ADDR="198.51.100.20")
    assert by_address.json()["failed"] == ["outbox"]
    # Loopback is no longer in the list, so it gets nothing.
    assert client.get("/health/ready").json() == {"status": "unavailable"}


def test_readiness_is_never_stored_by_the_page_cache(client, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    settings.FRONT_CACHE_SECONDS = 600
    first = client.get("/health/ready", **PUBLIC)
    assert first.status_code == 200
    assert first["Cache-Control"] == "no-store"
    assert "Surrogate-Key" not in first and "xkey" not in first
    assert "X-Page-Cache" not in first
    make_enquiry(state="failed")
    assert client.get("/health/ready", **PUBLIC).status_code == 503
    Enquiry.objects.update(state="sent")
    assert client.get("/health/ready", **PUBLIC).status_code == 200


def test_probes_refuse_other_methods(client):
    assert client.post("/health/ready").status_code == 405
