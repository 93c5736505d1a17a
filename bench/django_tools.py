"""Benchmark: each speed tweak of the uncached article against Django's own tool, side by side.

The article page replaces two of Django's tools with quicker ones of its own:

- `filters`: `|dmy`, `|iso_datetime`, `|trim_chars`, `|trim_words` (publishing/templatetags)
  instead of `|date:"d/m/Y"`, `|date:"c"`, `|truncatechars`, `|truncatewords`;
- `links`: the header and footer addresses reversed once per process
  (ktnsite.context_processors, publishing.addresses.fixed_url) instead of `reverse()` per page.

A tweak stays only where it is worth at least 10 % of the uncached article. Two others did not
pass and were replaced by Django's own tools: the static addresses looked up once per process
(-3 %: `{% static %}` again) and a hand list of the article's columns (6 %: `.defer()` of the
large ones); bench/README.md has the run. Each variant runs in
a process of its own (templates compile their filters once), which puts back Django's tool for
one tweak and renders the article through Django's test client; rounds are interleaved, so a
busy machine slows every variant alike. Prints the median CPU time per render (the process's
own, which other work on the machine hardly changes; with SQLite the queries run in-process
too) and the difference from the tuned page. Nothing is asserted.

    .venv/bin/python bench/django_tools.py [--rounds 5] [--renders 200]

With DATABASE_URL set (PostgreSQL with the demo content loaded) it uses that database;
otherwise a temporary SQLite database with the demo content.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "/news/ktn-and-ukri-release-medicines-manufacturing-impact-report/"
VARIANTS = ["tuned", "filters", "links", "all plain"]


def plain_filters():
    from django.template.defaultfilters import date, truncatechars, truncatewords

    from publishing.templatetags import publishing as tags

    tags.register.filters["dmy"] = lambda value: date(value, "d/m/Y")
    tags.register.filters["iso_datetime"] = lambda value: date(value, "c")
    tags.register.filters["trim_chars"] = truncatechars
    tags.register.filters["trim_words"] = truncatewords


def plain_links():
    from django.urls import reverse

    from ktnsite import context_processors

    context_processors.fixed_url = reverse


PLAIN = {
    "filters": [plain_filters],
    "links": [plain_links],
    "all plain": [plain_filters, plain_links],
}


def child(variant, renders, database, media):
    sys.path.insert(0, str(ROOT))
    from bench._sandbox import django_sandbox

    environ = {"DATABASE_URL": database, **({"MEDIA_ROOT": media} if media else {})}
    work = django_sandbox("tools", **environ)
    try:
        from django.core.management import call_command
        from django.test import Client

        if variant == "prepare":
            call_command("migrate", verbosity=0)
            call_command("load_demo", verbosity=0)
            return
        for patch in PLAIN.get(variant, []):
            patch()
        client = Client()
        for _ in range(20):  # warm: templates compiled, connection open, statements prepared
            assert client.get(ARTICLE).status_code == 200
        # CPU time of this process, not the wall clock: the render is CPU-bound (SQLite runs
        # in-process), and CPU time hardly moves when other work shares the machine.
        start = time.process_time()
        for _ in range(renders):
            client.get(ARTICLE)
        print(json.dumps({"ms": (time.process_time() - start) * 1000 / renders}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--child", choices=["prepare", *VARIANTS])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.renders, os.environ["DATABASE_URL"], os.environ.get("MEDIA_ROOT"))
        return
    environ = dict(os.environ)
    work = None
    if not environ.get("DATABASE_URL"):
        # One SQLite database with the demo content, made once and read by every variant.
        work = tempfile.mkdtemp(prefix="bench-tools-")
        environ.update(DATABASE_URL=f"sqlite:///{work}/demo.sqlite3", MEDIA_ROOT=f"{work}/media")
        prepare = [sys.executable, __file__, "--child", "prepare"]
        subprocess.run(prepare, env=environ, check=True)  # noqa: S603 - our own arguments
    times = {variant: [] for variant in VARIANTS}
    for round_number in range(1, args.rounds + 1):
        for variant in VARIANTS:
            out = subprocess.run(  # noqa: S603 - our own arguments
                [sys.executable, __file__, "--child", variant, "--renders", str(args.renders)],
                env=environ,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            times[variant].append(json.loads(out.strip().splitlines()[-1])["ms"])
        print(f"round {round_number}: " + ", ".join(f"{v} {t[-1]:.2f}" for v, t in times.items()))
    tuned = statistics.median(times["tuned"])
    print(
        f"\nuncached article, {args.renders} renders x {args.rounds} rounds, median CPU ms/render"
    )
    print(f"{'variant':<10} {'ms':>7} {'vs tuned':>9}")
    for variant, values in times.items():
        median = statistics.median(values)
        print(f"{variant:<10} {median:7.2f} {100 * (median - tuned) / tuned:+8.1f}%")
    if work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
