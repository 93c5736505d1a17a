"""Benchmark the page-view counter beside a static file, through gunicorn (issue 30's goal:
the counter's throughput at least 0.3 x the static file's).

Starts gunicorn as deployed (deploy/gunicorn.conf.py, production settings, DEBUG off,
WEB_CONCURRENCY workers, static files collected and served by WhiteNoise) on a free port
against DATABASE_URL's database (it must be migrated and hold live posts: bench/dashboard.py
--keep makes one), then runs `wrk` (apt-get install wrk) in turns, each for --seconds:

- GET a static file (/static/css/site.css, WhiteNoise: the cheapest thing Django serves);
- POST /count/ with a live post's key and a browser's user agent, counted (the rate limit
  per address lifted for the bench: every request is one from a new reader): answered by
  `dashboard.middleware` before the page cache and session, one Redis script per request
  (rate limit, the day's view, the referrer host; `dashboard.pending`), the item known live
  to the worker after its first view;
- GET /count/view.gif (the <noscript> image), counted.

Two rounds of each, interleaved, so a change in the shared machine's load falls on both;
prints requests per second, the ratio to the static file and `uptime`'s load average. Then
the one-minute job's part (`dashboard.pending.flush`, in a subprocess): the bench's views
moved from Redis into `DailyCount` (how many were waiting, how many were stored: the same),
and a batch of --flush-items live posts viewed from three referrers each (its CPU, wall
time and queries: what the job costs in a busy minute).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_dash_bench REDIS_URL=redis://127.0.0.1:6379/7 \\
        .venv/bin/python bench/counter_throughput.py [--seconds 10] [--connections 16]
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK = shutil.which("wrk") or "wrk"  # apt-get install wrk
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"

# A wrk script: POST a form body with a browser's user agent.
POST_LUA = """
wrk.method = "POST"
wrk.body = "item={item}&from=www.google.com"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["User-Agent"] = "{browser}"
"""
GET_LUA = 'wrk.headers["User-Agent"] = "{browser}"\n'


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def live_post_key(env):
    """A live post's key ("post-12") from the database, asked of Django in a subprocess."""
    code = (
        "import django; django.setup()\n"
        "from news.models import Post\n"
        "from publishing.models import Status\n"
        "post = Post.objects.filter(status=Status.PUBLISHED).order_by('-pk').first()\n"
        "print(f'post-{post.pk}' if post else '')\n"
    )
    out = subprocess.run(  # noqa: S603 - our own code, our own interpreter
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    key = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    if not key:
        sys.exit(f"No live post in the database: {out.stderr[-500:]}")
    return key


def wrk(url, script, seconds, connections, threads=2):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        out = subprocess.run(  # noqa: S603 - the bench's own arguments
            [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", lua.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(lua.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = re.search(r"Latency\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, latency, int(errors.group(1)) if errors else 0


FLUSH = """
import time

import django

django.setup()
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard import pending
from dashboard.models import DailyCount
from news.models import Post
from publishing.models import Status


def stored():
    return sum(DailyCount.objects.filter(kind="view").values_list("count", flat=True))


def flushed():
    before, cpu, wall = stored(), time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        pending.flush()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return stored() - before, f"CPU {cpu * 1000:.0f} ms, wall {wall * 1000:.0f} ms, " \
        f"{len(queries)} queries"


client = pending.redis_client()
waiting = sum(int(n) for field, n in client.hgetall(pending.HASH).items() if field[:2] == b"v|")
moved, cost = flushed()
print(f"flush of the bench's views: {waiting:,} in Redis, {moved:,} stored; {cost}")
keys = Post.objects.filter(status=Status.PUBLISHED).order_by("-pk").values_list("pk", flat=True)
keys = [f"post-{pk}" for pk in keys[:ITEMS]]
for key in keys:
    for host in ("", "google.com", "linkedin.com"):
        pending.count(None, key, host)
moved, cost = flushed()
print(f"flush of {len(keys):,} items x 3 referrers: {moved:,} stored; {cost}")
"""


def flush_figures(env, items):
    out = subprocess.run(  # noqa: S603 - our own code, our own interpreter
        [sys.executable, "-c", FLUSH.replace("ITEMS", str(int(items)))],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    print(out.stdout.strip() or f"The flush failed: {out.stderr[-1500:]}")


def main(seconds, connections, flush_items):
    work = Path(tempfile.mkdtemp(prefix="counter-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench._counter_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "LOG_REQUESTS": "0",
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    key = live_post_key(env)
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(work / "gunicorn.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health/live", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit(f"gunicorn did not start: {(work / 'gunicorn.log').read_text()[-2000:]}")
        static = next((work / "static" / "css").glob("site.*.css"), None)
        static_url = f"/static/css/{static.name}" if static else "/static/css/site.css"
        cases = [
            ("GET a static file (WhiteNoise)", static_url, GET_LUA, {}),
            ("POST /count/, counted", "/count/", POST_LUA, {}),
            ("GET /count/view.gif, counted", f"/count/view.gif?item={key}", GET_LUA, {}),
        ]
        results = {name: [] for name, *_ in cases}
        print(f"gunicorn, {env['WEB_CONCURRENCY']} workers; wrk 2 threads, {connections} "
              f"connections, {seconds} s each; item {key}")  # fmt: skip
        print(f"uptime load average at start: {os.getloadavg()[0]:.1f}")
        # Warm each worker (its first request imports the views and opens its connections).
        for _ in range(20):
            for path, data in (("/count/", f"item={key}".encode()), (cases[2][1], None)):
                request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
                    f"{base}{path}", data=data, headers={"User-Agent": BROWSER}
                )
                urllib.request.urlopen(request, timeout=10).read()  # noqa: S310
        # One connection per worker: what one request costs, with no queue in front of it.
        for name, path, script, _ in cases:
            script = script.format(item=key, browser=BROWSER)
            rate, latency, errors = wrk(
                f"{base}{path}", script, 3, int(env["WEB_CONCURRENCY"]), threads=1
            )
            print(f"  {env['WEB_CONCURRENCY']} connections: {name}: {rate:,.0f} requests/s, "
                  f"latency mean {latency}")  # fmt: skip
        for round_ in (1, 2):
            for name, path, script, _ in cases:
                script = script.format(item=key, browser=BROWSER)
                rate, latency, errors = wrk(f"{base}{path}", script, seconds, connections)
                results[name].append(rate)
                print(f"  round {round_}: {name}: {rate:,.0f} requests/s, latency mean "
                      f"{latency}, non-2xx {errors}, load {os.getloadavg()[0]:.1f}")  # fmt: skip
        static_rate = sum(results[cases[0][0]]) / 2
        for name, *_ in cases:
            rate = sum(results[name]) / 2
            print(f"{name}: {rate:,.0f} requests/s ({rate / static_rate:.2f} x static)")
        print(f"uptime load average at end: {os.getloadavg()[0]:.1f}")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=40)
    flush_figures(env, flush_items)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--flush-items", type=int, default=5000)
    args = parser.parse_args()
    main(args.seconds, args.connections, args.flush_items)
