"""Through a real Varnish: an unpublish made while Redis hangs is not undone by the purge
refetching the old page from the app (issue 22, item 8), and readers get 404 once the
invalidation has gone through."""

import signal

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from publishing.models import Status
from tests.factories import admin_post_data, make_post
from tests.fault_services import RedisServer
from tests.varnish.conftest import request

pytestmark = pytest.mark.django_db(transaction=True)

RETRY = "caching.pagecache.retry_page_cache_invalidation"
PURGE = "caching.purge.purge_keys"


@pytest.fixture
def redis_behind_varnish(through_varnish, settings):
    """Production's set-up behind this Varnish: the page cache in a redis-server this test
    owns (REDIS_URL's socket timeouts), the database task queue, purges sent to Varnish."""
    server = RedisServer()
    settings.CACHES = {
        **django_settings.CACHES,
        "default": {
            "BACKEND": "ktnsite.cache.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        },
    }
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    yield server, through_varnish
    server.process.send_signal(signal.SIGCONT)
    server.stop()


def run_worker():
    with open("/dev/null", "w") as quiet:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=quiet)


def test_an_unpublish_during_a_redis_hang_is_gone_through_varnish_once_redis_answers(
    redis_behind_varnish, django_user_model
):
    redis, varnish = redis_behind_varnish
    post = make_post(title="Withdrawn during the hang")
    path = post.get_absolute_url()
    reader = Client()
    reader.get(path)
    assert reader.get(path)["X-Page-Cache"] == "hit"  # warm in the app's page cache
    request(varnish.url, path)
    status, headers, body = request(varnish.url, path)
    assert (status, headers["x-cache"]) == (200, "HIT") and b"Withdrawn during" in body
    DBTaskResult.objects.all().delete()

    redis.process.send_signal(signal.SIGSTOP)
    editor = Client()
    # A superuser: this test commits for real, which empties the roles' migrated groups.
    editor.force_login(django_user_model.objects.create_superuser("pub", "p@example.org", None))
    url = reverse("admin:news_post_change", args=[post.pk])
    answer = editor.post(url, admin_post_data(post, status=Status.DRAFT), follow=True)
    page = answer.content.decode()
    assert "Draft saved" in page
    assert "readers may still see the old version of the page" in page  # the editor is told
    # No purge yet: Varnish would refetch the old page from the app's page cache.
    assert DBTaskResult.objects.filter(task_path=RETRY).count() == 1
    assert not DBTaskResult.objects.filter(task_path=PURGE).exists()

    redis.process.send_signal(signal.SIGCONT)
    DBTaskResult.objects.filter(task_path=RETRY).update(run_after=timezone.now())  # it is due
    run_worker()  # the retry invalidates the page cache, then queues the purge...
    run_worker()  # ...which the worker sends to Varnish
    assert DBTaskResult.objects.get(task_path=RETRY).status == "SUCCESSFUL"
    assert DBTaskResult.objects.get(task_path=PURGE).status == "SUCCESSFUL"

    for _ in range(2):  # fetched again from the app, and that answer is what Varnish keeps
        status, _headers, body = request(varnish.url, path)
        assert status == 404 and b"Withdrawn during" not in body
    assert reader.get(path).status_code == 404
