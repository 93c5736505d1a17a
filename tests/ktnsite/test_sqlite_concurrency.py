"""The embedded SQLite database takes concurrent sign-ups through a threaded server without a 500."""

import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

from tests.fault_services import free_port

SIGNUPS = 20


def _request(opener, url, data=None):
    try:
        with opener.open(url, data=data, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def sqlite_server(tmp_path):
    """runserver (threaded, as `scripts/run` starts it) on a fresh SQLite file, set up by
    the project's own settings: nothing of the test database is shared with it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY="concurrency-test",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # Every sign-up gets as far as the database: no limit turns one away first.
        MAILINGLIST_SIGNUP_RATE_IP="1000/h",
        MAILINGLIST_SIGNUP_RATE_ADDRESS="1000/h",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).close()  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("runserver did not start")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_twenty_concurrent_sign_ups_of_one_address_answer_no_500(sqlite_server):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    status, page = _request(opener, f"{sqlite_server}/mailing-list/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    form = {"email": "same@example.org", "consent": "on"}
    if token:
        form["csrfmiddlewaretoken"] = token.group(1)
    body = urllib.parse.urlencode(form).encode()

    start = threading.Barrier(SIGNUPS)
    statuses = []

    def sign_up():
        start.wait()
        statuses.append(_request(opener, f"{sqlite_server}/mailing-list/", body)[0])

    threads = [threading.Thread(target=sign_up) for _ in range(SIGNUPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(statuses) == SIGNUPS
    assert statuses.count(500) == 0, statuses
    assert set(statuses) == {302}, statuses
