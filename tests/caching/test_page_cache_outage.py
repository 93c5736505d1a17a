"""A Redis that hangs or is down: readers skip the page cache quickly, an unpublish made
meanwhile is retried from the database until Redis takes it, the front cache is purged only
after that, and the editor is told readers may still see the old page."""

import logging
import signal
import time

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from caching import pagecache
from publishing.models import Status
from tests.factories import admin_post_data, make_post
from tests.fault_services import RedisServer

# The worker and the retries commit for real (as production does).
pytestmark = pytest.mark.django_db(transaction=True)

RETRY = "caching.pagecache.retry_page_cache_invalidation"
PURGE = "caching.purge.purge_keys"


@pytest.fixture
def redis_server(settings):
    """The production set-up: the page cache in a redis-server this test owns, with the
    socket timeouts REDIS_URL sets, the database task queue and a front cache to purge."""
    server = RedisServer()
    options = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
    settings.CACHES = {
        **django_settings.CACHES,
        "default": {
            "BACKEND": "ktnsite.cache.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": options,
        },
    }
    settings.CACHE_MIDDLEWARE_SECONDS = 600
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.FRONT_CACHE_PURGERS = [
        {"BACKEND": "caching.purge.HTTPPurger", "OPTIONS": {"url": "http://127.0.0.1:9/"}}
    ]
    yield server
    server.process.send_signal(signal.SIGCONT)
    server.stop()


def _hang(server):
    server.process.send_signal(signal.SIGSTOP)


def _resume(server):
    server.process.send_signal(signal.SIGCONT)


def test_the_production_settings_time_out_within_a_few_hundred_milliseconds(monkeypatch):
    import importlib

    from ktnsite import settings as site_settings

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/2")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x")
    built = importlib.reload(site_settings)
    try:
        options = built.CACHES["default"]["OPTIONS"]
        assert options["socket_connect_timeout"] <= 0.3
        assert options["socket_timeout"] <= 0.3
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(site_settings)


def test_with_redis_hung_readers_get_pages_and_one_log_line_not_a_traceback_each(
    redis_server, caplog
):
    post = make_post(title="Still readable")
    reader = Client()
    assert reader.get(post.get_absolute_url())["X-Page-Cache"] == "miss"
    assert reader.get(post.get_absolute_url())["X-Page-Cache"] == "hit"
    _hang(redis_server)
    caplog.set_level(logging.WARNING, logger="caching.pagecache")
    started = time.monotonic()
    answers = [reader.get(post.get_absolute_url()) for _ in range(30)]
    elapsed = time.monotonic() - started
    assert {a.status_code for a in answers} == {200}
    assert all("Still readable" in a.content.decode() for a in answers)
    lines = [r for r in caplog.records if r.name == "caching.pagecache"]
    assert len(lines) == 1
    assert "Page cache unavailable" in lines[0].getMessage()
    assert lines[0].exc_info is None
    print(f"30 reads with Redis hung: {elapsed:.2f} s in all")


def test_an_unpublish_during_a_redis_hang_is_retried_then_purged_and_the_editor_warned(
    redis_server, django_user_model
):
    post = make_post(title="Withdrawn soon")
    reader = Client()
    reader.get(post.get_absolute_url())
    assert reader.get(post.get_absolute_url())["X-Page-Cache"] == "hit"
    DBTaskResult.objects.all().delete()

    _hang(redis_server)
    editor = Client()
    # A superuser: this test commits for real, which empties the roles' migrated groups.
    editor.force_login(
        django_user_model.objects.create_superuser("publisher", "p@example.org", None)
    )
    url = reverse("admin:news_post_change", args=[post.pk])
    response = editor.post(url, admin_post_data(post, status=Status.DRAFT), follow=True)
    page = response.content.decode()
    assert "Draft saved" in page
    assert "readers may still see the old version of the page" in page
    # Stored in the database, and the front cache not purged before the in-app cache is
    # invalidated (a purge now would let Varnish refetch the old page from it).
    assert DBTaskResult.objects.filter(task_path=RETRY).count() == 1
    assert not DBTaskResult.objects.filter(task_path=PURGE).exists()

    _resume(redis_server)
    # The worker's retry goes through once Redis answers: only then is the purge queued.
    DBTaskResult.objects.filter(task_path=RETRY).update(run_after=timezone.now())  # it is due
    from django.core.management import call_command

    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--max-tasks", "1",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )  # fmt: skip
    assert DBTaskResult.objects.get(task_path=RETRY).status == "SUCCESSFUL"
    assert DBTaskResult.objects.filter(task_path=PURGE).count() == 1
    assert reader.get(post.get_absolute_url()).status_code == 404


def test_the_process_that_failed_invalidates_first_when_redis_answers_again(redis_server):
    post = make_post(title="Old words")
    reader = Client()
    reader.get(post.get_absolute_url())
    _hang(redis_server)
    assert pagecache.page_cache_invalidate() is False  # the change that could not get through
    _resume(redis_server)
    pagecache._outage.until = 0  # the pause is over; what is owed is still owed
    type(post).objects.filter(pk=post.pk).update(title="New words")  # what readers must see
    answer = reader.get(post.get_absolute_url())
    assert "New words" in answer.content.decode()
    assert answer["X-Page-Cache"] == "miss"


def test_a_page_rendered_before_a_change_is_not_stored_after_it(redis_server, rf):
    from django.http import HttpResponse

    request = rf.get("/news/")
    middleware = pagecache.PageCacheMiddleware(lambda r: HttpResponse("old list"))
    assert middleware.process_request(request) is None  # a miss: the view renders
    pagecache.page_cache_invalidate()  # a change commits while it renders
    middleware.process_response(request, HttpResponse("old list"))
    assert middleware.process_request(rf.get("/news/")) is None  # still a miss: not stored
