"""Two gunicorn app servers on one PostgreSQL and Redis behind Varnish: a change on one shows at once.

Runs in the PostgreSQL pass (two processes cannot share the SQLite test database), with the
Redis of REDIS_URL as the shared cache, as in production.
"""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from publishing.models import Status
from tests.factories import admin_post_data, make_contact, make_post, make_topic
from tests.varnish.conftest import Varnish, free_port, request, varnishd_path, wait_for_port

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shared_services(settings):
    if connection.vendor != "postgresql":
        pytest.skip("two app servers share one database: runs in the PostgreSQL pass")
    if not os.environ.get("REDIS_URL"):
        message = "two app servers share one cache: set REDIS_URL"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    varnishd_path()  # fails in CI, skips locally, without varnishd
    db = settings.DATABASES["default"]
    auth = urllib.parse.quote(db["USER"] or "postgres")
    if db["PASSWORD"]:
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    return {
        "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": os.environ["REDIS_URL"],
    }


@pytest.fixture
def site(shared_services, tmp_path):
    """Varnish on a free port in front of app servers A and B (gunicorn), who purge it."""
    ports = [free_port(), free_port()]
    varnish_port = free_port()
    env = {
        **os.environ,
        **shared_services,
        "DJANGO_SECRET_KEY": "two-app-servers-test-key",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DJANGO_PAGE_CACHE_SECONDS": "600",
        "DJANGO_FRONT_CACHE_SECONDS": "600",
        "DJANGO_FRONT_CACHE_VARNISH": f"http://127.0.0.1:{varnish_port}",
        "DJANGO_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        # The test empties the database afterwards: no connection may stay open.
        "DATABASE_CONN_MAX_AGE": "0",
    }
    servers = []
    for port in ports:
        servers.append(
            subprocess.Popen(  # noqa: S603 - our own arguments
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "ktnsite.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                    "--log-level",
                    "warning",
                ],  # fmt: skip
                cwd=ROOT,
                env=env,
                stdout=open(tmp_path / f"gunicorn-{port}.log", "wb"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
            )
        )
    varnish = None
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_for_port(port, process=server)
        varnish = Varnish(
            [("127.0.0.1", port) for port in ports], tmp_path / "varnish", probe=True,
            port=varnish_port,
        )  # fmt: skip
        yield {"a": f"http://127.0.0.1:{ports[0]}", "b": f"http://127.0.0.1:{ports[1]}",
               "varnish": varnish}  # fmt: skip
    finally:
        if varnish is not None:
            varnish.stop()
        for server in servers:
            if server.poll() is None:
                os.kill(server.pid, signal.SIGTERM)
                server.wait(timeout=10)


class Editor:
    """An editor's browser session on one app server: log in, then save the post form."""

    def __init__(self, base, username, password):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.opener.open(f"{base}/admin/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        self.post("/admin/login/?next=/admin/", {"username": username, "password": password,
                                                "csrfmiddlewaretoken": token})  # fmt: skip
        assert any(cookie.name == "sessionid" for cookie in self.jar), "not logged in"

    def post(self, path, data):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        with self.opener.open(f"{self.base}{path}", data=body) as response:
            return response.status, response.read().decode()

    def press(self, post, button):
        """Press one of the post form's publishing buttons ("publish", "unpublish")."""
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        data = {**admin_post_data(post), "csrfmiddlewaretoken": token, "_publishing": button}
        status, html = self.post(f"/admin/news/post/{post.pk}/change/", data)
        errors = re.findall(r"<ul class=\"errorlist[^>]*>(.*?)</ul>", html, re.S)
        assert status == 200 and "errornote" not in html, errors or html[:2000]


def _all_show(base, paths, text, present=True):
    for path in paths:
        status, _headers, body = request(base, path)
        shown = status == 200 and text in body.decode()
        if shown != present:
            return False
    return True


def _seen_within(seconds, base, paths, check):
    """Readers ask for every page at once, again and again, until each passes `check`
    (status, html); returns the slowest page's time, and fails past `seconds`."""

    def poll(path):
        started = time.monotonic()
        while True:
            status, _headers, body = request(base, path)
            took = time.monotonic() - started
            if check(status, body.decode()):
                return took
            if took > seconds:
                return None
            time.sleep(0.02)

    with ThreadPoolExecutor(len(paths)) as pool:
        times = dict(zip(paths, pool.map(poll, paths), strict=True))
    late = [path for path, took in times.items() if took is None or took > seconds]
    assert not late, f"not seen within {seconds} s: {late} ({times})"
    return max(times.values())


def test_a_post_published_on_one_server_shows_through_varnish_within_a_second(site):
    User.objects.create_superuser("editor", "editor@example.org", "a long test password 1")
    topic = make_topic(name="Quantum", slug="quantum")
    contact = make_contact(name="Ada Lead", topics=[topic])
    make_post(title="Older news", topics=[topic])
    draft = make_post(
        title="Quantum leap announced",
        topics=[topic],
        contacts=[contact],
        status=Status.DRAFT,
        publish_at=None,  # a draft has no publish time until it is published
    )
    varnish = site["varnish"]
    lists = ["/news/", topic.get_absolute_url(), "/feeds/news/"]
    article = draft.get_absolute_url()

    # Readers through Varnish: every page is kept (a second request is a hit).
    for path in lists:
        request(varnish.url, path)
        status, headers, _body = request(varnish.url, path)
        assert (status, headers["x-cache"]) == (200, "HIT"), path
    assert request(varnish.url, article)[0] == 404

    editor = Editor(site["a"], "editor", "a long test password 1")
    editor.press(draft, "publish")
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    title = "Quantum leap announced"
    took = _seen_within(1.0, varnish.url, [article, *lists], lambda s, html: title in html)
    print(f"published on A: seen through Varnish on every page within {took:.3f} s")
    # Server B's own page cache (Redis) moved on too.
    for path in [article, *lists]:
        assert title in request(site["b"], path)[2].decode(), path

    # Unpublished: nothing stale anywhere, through Varnish or on either server.
    for path in [article, *lists]:
        request(varnish.url, path)
    editor.press(draft, "unpublish")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    took = _seen_within(1.0, varnish.url, [article], lambda status, html: status == 404)
    took = max(took, _seen_within(1.0, varnish.url, lists, lambda s, html: title not in html))
    print(f"unpublished on A: gone through Varnish from every page within {took:.3f} s")
    for server in (site["a"], site["b"]):
        assert request(server, article)[0] == 404
        assert _all_show(server, lists, title, present=False)

    # Without Varnish the site still answers, from either app server.
    varnish.stop()
    for server in (site["a"], site["b"]):
        assert _all_show(server, lists, "Older news")
