"""Benchmark: what request logging and metrics cost on the uncached article, side by side.

Two gunicorns (2 workers each, both caches off, so the article is rendered for every
request) serve the same database: one with metrics and request logging off (METRICS_ENABLED=0,
LOG_REQUESTS=0), one as production runs them (LOG_FORMAT=json, a line per request written to
its log file, /metrics on with PROMETHEUS_MULTIPROC_DIR, every query and Redis command timed).
wrk runs against each in turn, round after round (interleaved, the order swapped each round,
so a busy machine slows both alike); the figures are medians of the rounds. Besides req/s it
reads the workers' CPU time from /proc: CPU per request moves far less than throughput
when other work shares the machine. Last, the Python calls per request of each set-up
(cProfile, the test client in one process): the one figure the machine's load cannot move;
and the microseconds of the middlewares' and the query timer's own work (timeit, best of 5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ktnsite REDIS_URL=redis://127.0.0.1:6379/1 \\
        DJANGO_SECRET_KEY=x .venv/bin/python bench/observability.py [--rounds 7] [--seconds 5]

It prints figures; nothing here is asserted (timings belong in no test).
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from front_cache import ARTICLE, ROOT, free_port, gunicorn, wait_for

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(master):
    """User + system CPU seconds used so far by gunicorn `master`'s workers (Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended meanwhile
        if int(fields[1]) == master:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def wrk(url, seconds, connections, master):
    """Requests per second, p99 ms, requests made and the workers' CPU ms per request."""
    before = cpu_seconds(master)
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = cpu_seconds(master) - before
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    made = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rate, p99, non_2xx and int(non_2xx.group(1)) or 0, 1000 * cpu / max(made, 1)


def count_calls(path, requests):
    """In this process (run as a child with one configuration's environment): the Python
    calls per request of `requests` renders of `path` through Django's test client, a figure
    that, unlike time, other work on the machine cannot move."""
    import cProfile
    import pstats

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for _ in range(20):  # warm: templates compiled, connections open
        assert client.get(path).status_code == 200
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        client.get(path)
    profile.disable()
    print(pstats.Stats(profile).total_calls / requests)


def time_own_work(path):
    """In this process: microseconds of the two middlewares around a view that does nothing,
    and of timing one query, each the best of five runs (the least disturbed by the load)."""
    import timeit

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")
    import django

    django.setup()
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve

    from ktnsite.logs import RequestLogMiddleware
    from ktnsite.metrics import MetricsMiddleware, _time_query

    match, factory = resolve(path), RequestFactory()

    def view(request):
        request.resolver_match = match
        return HttpResponse("x")

    chain = RequestLogMiddleware(MetricsMiddleware(view))
    context = {"connection": type("Connection", (), {"alias": "default"})}

    def execute(sql, params, many, context):
        return None

    def best(function, n=20000):
        return min(timeit.repeat(function, number=n, repeat=5)) / n * 1e6

    own = best(lambda: chain(factory.get(path))) - best(lambda: view(factory.get(path)))
    query = best(lambda: _time_query(execute, "SELECT 1", (), False, context)) - best(
        lambda: execute("SELECT 1", (), False, context)
    )
    print(f"{own} {query}")


def child(mode, env, path, workdir):
    """Run this file as a child in `mode` with one set-up's environment; its last line."""
    env = {**env, "DJANGO_ALLOWED_HOSTS": "testserver"}
    if "PROMETHEUS_MULTIPROC_DIR" in env:
        env["PROMETHEUS_MULTIPROC_DIR"] = str(workdir / "prometheus-child")
        (workdir / "prometheus-child").mkdir(exist_ok=True)
    out = subprocess.run(  # noqa: S603 - our own arguments
        [sys.executable, __file__, mode, "--path", path],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return out.strip().splitlines()[-1]


def calls_per_request(env, path, workdir):
    return float(child("--count-calls", env, path, workdir))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count-calls", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--time-own-work", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--path", default=ARTICLE)
    args = parser.parse_args()
    if args.count_calls:
        return count_calls(args.path, 200)
    if args.time_own_work:
        return time_own_work(args.path)
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            sys.exit(f"Set {name}: the benchmark runs the site as production does.")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")

    workdir = Path(tempfile.mkdtemp(prefix="observability-bench-"))
    (workdir / "prometheus").mkdir()
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_DEBUG": "0",
        "DJANGO_STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DJANGO_PAGE_CACHE_SECONDS": "0",
        "DJANGO_FRONT_CACHE_SECONDS": "0",
        "DJANGO_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    for name in ("LOG_FORMAT", "LOG_REQUESTS", "METRICS_ENABLED", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    servers = {
        "off": ({**env, "METRICS_ENABLED": "0", "LOG_REQUESTS": "0"}, free_port()),
        "on": (
            {
                **env,
                "LOG_FORMAT": "json",
                "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus"),
            },
            free_port(),
        ),
    }
    processes = []
    masters = {}
    try:
        for name, (server_env, port) in servers.items():
            processes.append(gunicorn(port, server_env, workdir, name))
            masters[name] = processes[-1].pid
        urls = {name: f"http://127.0.0.1:{port}{args.path}" for name, (_e, port) in servers.items()}
        for url in urls.values():
            wait_for(url)
        print(
            f"wrk -t2 -c{args.connections}, {args.rounds} interleaved rounds of {args.seconds} s; "
            f"gunicorn --workers 2, caches off; {os.cpu_count()} CPUs"
        )
        results = {name: [] for name in urls}
        for round_number in range(args.rounds):
            order = list(urls) if round_number % 2 == 0 else list(reversed(urls))
            for name in order:
                results[name].append(wrk(urls[name], args.seconds, args.connections, masters[name]))
            print(f"  round {round_number + 1} done", file=sys.stderr)
        for name, runs in results.items():
            rates = ", ".join(f"{r[0]:.0f}" for r in runs)
            print(
                f"{name:4} median {statistics.median(r[0] for r in runs):7.1f} req/s, "
                f"p99 {statistics.median(r[1] for r in runs):6.1f} ms, "
                f"CPU {statistics.median(r[3] for r in runs):5.1f} ms/request, "
                f"non-2xx {sum(r[2] for r in runs)}  (rounds: {rates})"
            )
        off = statistics.median(r[0] for r in results["off"])
        on = statistics.median(r[0] for r in results["on"])
        ratios = [b[0] / a[0] for a, b in zip(results["off"], results["on"], strict=True)]
        print(
            f"overhead: {100 * (1 - on / off):.1f} % of throughput "
            f"(round by round, median {100 * (1 - statistics.median(ratios)):.1f} %)"
        )
        cpu_off = statistics.median(r[3] for r in results["off"])
        cpu_on = statistics.median(r[3] for r in results["on"])
        print(
            f"CPU per request: {cpu_on - cpu_off:+.2f} ms ({100 * (cpu_on / cpu_off - 1):+.1f} %)"
        )
        calls = {
            name: calls_per_request(e, args.path, workdir) for name, (e, _p) in servers.items()
        }
        print(
            f"Python calls per request (test client, in-process): off {calls['off']:.0f}, "
            f"on {calls['on']:.0f} ({100 * (calls['on'] / calls['off'] - 1):+.1f} %)"
        )
        own, query = map(
            float, child("--time-own-work", servers["on"][0], args.path, workdir).split()
        )
        print(
            f"own work (best of 5): {own:.0f} us per request in the two middlewares, "
            f"{query:.1f} us per query timed; against {cpu_off:.1f} ms of CPU per article: "
            f"{100 * own / 1000 / cpu_off:.1f} % + the queries"
        )
        lines = (workdir / "on.log").read_text().count('"logger": "ktnsite.request"')
        print(f"request log lines written by 'on': {lines}")
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
