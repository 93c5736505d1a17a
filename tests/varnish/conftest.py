"""A real varnishd (deploy/varnish/default.vcl) in front of app servers, started per test session.

Each Varnish gets a free port on loopback, its own -n work folder and an app_servers.vcl
naming the app servers it fronts; it is stopped by its pid. Without varnishd (Debian's
`varnish` and `varnish-modules`) these tests are skipped locally and fail in CI.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "varnish"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, *, timeout=30.0, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


def varnishd_path():
    path = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
    )
    if path is None:
        message = "varnishd is not installed (apt-get install varnish varnish-modules)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


class Varnish:
    """One varnishd in front of `backends` ([(host, port), ...]), on a free loopback port."""

    def __init__(self, backends, workdir, *, probe=False, port=None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        lines = []
        for n, (host, port) in enumerate(backends):
            lines.append(
                f'backend app{n} {{ .host = "{host}"; .port = "{port}";'
                f"{' .probe = healthz;' if probe else ''} }}"
            )
        lines.append('acl purgers { "127.0.0.1"; }')
        lines.append("sub vcl_init { new app = directors.round_robin();")
        lines += [f"  app.add_backend(app{n});" for n in range(len(backends))]
        lines.append("}")
        (self.workdir / "app_servers.vcl").write_text("\n".join(lines) + "\n")
        self.pidfile = self.workdir / "varnishd.pid"
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [
                varnishd_path(),
                "-F",  # in the foreground: this process is varnishd's manager, stopped by pid
                "-j",
                "none",  # no privilege separation: the work folder is the test's own
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(DEPLOY / "default.vcl"),
                "-p",
                f"vcl_path={self.workdir}:{DEPLOY}",
                "-n",
                str(self.workdir / "n"),
                "-P",
                str(self.pidfile),
                "-s",
                "malloc,64m",
                # The live server answers /healthz only while a test holds the database, so
                # probes are optional here, and the VCL's probe may go unused.
                "-p",
                "vcc_err_unref=off",
            ],  # fmt: skip
            stdout=open(self.workdir / "varnishd.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(self.port, process=self.process)
            if probe:
                self.wait_until_healthy()
        except Exception:
            self.stop()
            raise RuntimeError((self.workdir / "varnishd.log").read_text()) from None

    def wait_until_healthy(self, timeout=15.0):
        """Until the health probe has found an app server (the first probe is at start)."""
        deadline = time.monotonic() + timeout
        while request(self.url, "/healthz")[0] != 200:
            if time.monotonic() > deadline:
                raise TimeoutError("no healthy app server behind Varnish")
            time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()


def request(url, path="/", *, method="GET", headers=None, source=None):
    """One HTTP request; returns (status, headers as a lower-cased dict, body bytes).

    `source` binds the client's end to another loopback address (127.0.0.2), as a machine
    that is not an app server would connect from.
    """
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=10, source_address=(source, 0) if source else None
    )
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


@pytest.fixture(scope="session")
def varnish(live_server, tmp_path_factory):
    """A Varnish in front of the test session's live server."""
    parts = urlsplit(live_server.url)
    instance = Varnish([(parts.hostname, parts.port)], tmp_path_factory.mktemp("varnish"))
    yield instance
    instance.stop()


@pytest.fixture
def through_varnish(varnish, settings, transactional_db):
    """The app as behind Varnish in production: pages public, changes purged in this Varnish."""
    settings.FRONT_CACHE_SECONDS = 600
    settings.FRONT_CACHE_PURGERS = [
        {"BACKEND": "caching.purge.VarnishPurger", "OPTIONS": {"urls": [varnish.url]}}
    ]
    # Each test starts with an empty cache (the database is emptied between tests).
    status, _headers, _body = request(varnish.url, method="PURGE", headers={"xkey-purge": "site"})
    assert status == 200
    return varnish
