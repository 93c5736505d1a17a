"""Benchmark: the article through Varnish, the Redis page cache and uncached, against a static file.

Measured side by side in one run, interleaved (round after round of every target, so a busy
machine slows them all alike), with wrk against real servers on loopback:

- static: a CSS file served by gunicorn + whitenoise (the yardstick every figure is a ratio to)
- varnish: the article through Varnish (deploy/varnish/default.vcl) in front of gunicorn
- redis: the article from the in-app page cache in Redis (gunicorn, the cache shared as
  several app servers would share it)
- uncached: the article rendered for every request (gunicorn with both caches off)
- peers (optional, `--peer NAME=URL`, repeatable): other servers with the same article
  uncached, already running, measured in the same rounds: Wagtail (bench/wagtail_peer, which
  issue 14 compares the cold render with) or an older release of ktnsite

Needs PostgreSQL with content, Redis, varnishd (Debian's varnish + varnish-modules) and wrk:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ktnsite REDIS_URL=redis://127.0.0.1:6379/1 \\
        DJANGO_SECRET_KEY=x .venv/bin/python bench/front_cache.py [--rounds 3] [--seconds 5]

It prints figures; nothing here is asserted (timings belong in no test).
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
ARTICLE = "/news/ktn-and-ukri-release-medicines-manufacturing-impact-report/"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def gunicorn(port, env, workdir, name):
    log = open(workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(  # noqa: S603 - our own arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ktnsite.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def varnish(port, backend_port, workdir):
    (workdir / "app_servers.vcl").write_text(
        f'backend app1 {{ .host = "127.0.0.1"; .port = "{backend_port}"; .probe = healthz; }}\n'
        'acl purgers { "127.0.0.1"; }\n'
        "sub vcl_init { new app = directors.round_robin(); app.add_backend(app1); }\n"
    )
    return subprocess.Popen(  # noqa: S603 - our own arguments
        [
            shutil.which("varnishd") or "/usr/sbin/varnishd",
            "-F",
            "-j",
            "none",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(VCL),
            "-p",
            f"vcl_path={workdir}:{VCL.parent}",
            "-n",
            str(workdir / "varnish"),
            "-s",
            "malloc,256m",
        ],  # fmt: skip
        stdout=open(workdir / "varnishd.log", "wb"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )


def wrk(url, seconds, connections):
    """Requests per second, p99 latency in ms and the non-2xx count of one wrk run."""
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return rate, p99, int(non_2xx.group(1)) if non_2xx else 0, errors.group(1) if errors else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--path", default=ARTICLE)
    parser.add_argument(
        "--peer",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="a running server with the same article uncached, measured in the same rounds "
        "(repeatable), e.g. wagtail=http://127.0.0.1:8222/news/x/ (bench/wagtail_peer)",
    )
    args = parser.parse_args()
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            sys.exit(f"Set {name}: the benchmark runs the site as production does.")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")

    workdir = Path(tempfile.mkdtemp(prefix="front-cache-bench-"))
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_DEBUG": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "DJANGO_PAGE_CACHE_SECONDS": "600",
        "DJANGO_FRONT_CACHE_SECONDS": "600",
        "DJANGO_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    env.pop("DJANGO_STATIC_STORAGE", None)  # hashed, compressed files, as in production
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
        check=True,
    )  # fmt: skip
    ports = {"cached": free_port(), "uncached": free_port(), "varnish": free_port()}
    processes = [
        gunicorn(ports["cached"], env, workdir, "cached"),
        gunicorn(ports["uncached"], {**env, "DJANGO_PAGE_CACHE_SECONDS": "0"}, workdir, "plain"),
    ]
    try:
        page = wait_for(f"http://127.0.0.1:{ports['cached']}{args.path}").decode()
        wait_for(f"http://127.0.0.1:{ports['uncached']}/healthz")
        processes.append(varnish(ports["varnish"], ports["cached"], workdir))
        wait_for(f"http://127.0.0.1:{ports['varnish']}{args.path}")
        css = re.search(r'href="(/static/css/[^"]+\.css)"', page).group(1)
        targets = {
            "static (whitenoise)": f"http://127.0.0.1:{ports['cached']}{css}",
            "article via Varnish": f"http://127.0.0.1:{ports['varnish']}{args.path}",
            "article via Redis page cache": f"http://127.0.0.1:{ports['cached']}{args.path}",
            "article uncached": f"http://127.0.0.1:{ports['uncached']}{args.path}",
        }
        peers = {}
        for peer in args.peer:
            name, _, url = peer.partition("=")
            peers[name] = f"{name} uncached (peer)"
            targets[peers[name]] = url
        for url in targets.values():
            wait_for(url)
        print(
            f"wrk -t2 -c{args.connections}, {args.rounds} interleaved rounds of {args.seconds} s "
            f"per target; gunicorn --workers 2; cache: Redis; {os.cpu_count()} CPUs"
        )
        results = {name: [] for name in targets}
        for round_number in range(args.rounds):
            for name, url in targets.items():
                results[name].append(wrk(url, args.seconds, args.connections))
            print(f"  round {round_number + 1} done", file=sys.stderr)
        static = statistics.median(r[0] for r in results["static (whitenoise)"])
        print(f"{'target':30} {'req/s':>9} {'p99 ms':>8} {'× static':>9} {'non-2xx':>8}")
        for name, runs in results.items():
            rate = statistics.median(r[0] for r in runs)
            p99 = statistics.median(r[1] for r in runs)
            non_2xx = sum(r[2] for r in runs)
            errors = "; ".join(sorted({r[3] for r in runs if r[3]}))
            print(
                f"{name:30} {rate:>9.0f} {p99:>8.1f} {rate / static:>9.2f} {non_2xx:>8}"
                + (f"  socket errors: {errors}" if errors else "")
            )
        ours = statistics.median(r[0] for r in results["article uncached"])
        for name, target in peers.items():
            peer = statistics.median(r[0] for r in results[target])
            print(f"article uncached: {ours / peer:.2f} × {name}'s cold render")
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
