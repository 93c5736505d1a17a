"""Mail is never sent inside a reader's request: a mail server that hangs holds only the worker."""

import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.checks.registry import registry as checks_registry
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from contacts.models import Enquiry, EnquiryState
from ktnsite import checks
from mailinglist.models import Subscriber
from tests.factories import enquiry_form_data, make_contact


@pytest.fixture
def silent_smtp(settings):
    """A mail server that accepts connections and never says a word (not even its greeting)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.setblocking(False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    held = []

    def connections():
        """How many clients have connected so far (they are held open, unanswered)."""
        while True:
            try:
                held.append(listener.accept()[0])
            except BlockingIOError:
                return len(held)

    yield connections
    for connection in held:
        connection.close()
    listener.close()


def test_the_site_queues_its_tasks_unless_told_otherwise():
    """What `scripts/run` and `gunicorn ktnsite.wsgi` get with no DJANGO_TASKS_BACKEND."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_TASKS_BACKEND"}
    env["DJANGO_SECRET_KEY"] = "x"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"],
        cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
        check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend"


# The worker closes its database connection between tasks, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_a_hung_mail_server_never_holds_a_readers_request(client, settings, silent_smtp):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    contact = make_contact()
    assert client.post(contact.get_absolute_url(), enquiry_form_data()).status_code == 302
    signup = client.post("/mailing-list/", {"email": "reader@example.org", "consent": "on"})
    assert signup.status_code == 302
    assert silent_smtp() == 0  # neither request so much as connected to the mail server
    assert Subscriber.objects.count() == 1
    assert DBTaskResult.objects.count() == 2

    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )  # fmt: skip
    assert silent_smtp() >= 1  # the worker, and only the worker, waited on it
    enquiry = Enquiry.objects.get()
    assert enquiry.state == EnquiryState.PENDING  # kept, to be retried
    assert "timed out" in enquiry.last_error


def test_check_deploy_warns_when_mail_would_be_sent_inside_requests(settings):
    settings.TASKS = {"default": {"BACKEND": checks.IMMEDIATE}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    [warning] = checks.check_mail_is_sent_by_a_worker(None)
    assert warning.id == "ktnsite.W001"
    assert "db_worker" in warning.hint and checks.QUEUE in warning.hint
    settings.TASKS = {"default": {"BACKEND": checks.QUEUE}}
    assert checks.check_mail_is_sent_by_a_worker(None) == []
    settings.TASKS = {"default": {"BACKEND": checks.IMMEDIATE}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert checks.check_mail_is_sent_by_a_worker(None) == []


def test_check_deploy_warns_about_a_per_process_cache_with_several_processes(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.SERVER_PROCESSES = 1
    assert checks.check_caches_are_shared(None) == []
    settings.SERVER_PROCESSES = 4
    [warning] = checks.check_caches_are_shared(None)
    assert warning.id == "ktnsite.W002"
    assert "default, ratelimit" in warning.msg and "REDIS_URL" in warning.hint
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
    settings.CACHES = {"default": redis, "ratelimit": redis}
    assert checks.check_caches_are_shared(None) == []


def test_check_deploy_runs_these_checks():
    """Both checks run under `check --deploy` (and only there), without asking the whole
    deploy check to pass: the test process is no deployment."""
    deploy = checks_registry.get_checks(include_deployment_checks=True)
    plain = checks_registry.get_checks(include_deployment_checks=False)
    for check in (checks.check_mail_is_sent_by_a_worker, checks.check_caches_are_shared):
        assert check in deploy
        assert check not in plain
