"""Benchmark: requests per second for the article and /news/ with the page cache off, cold and warm.

Run against a database with content (`manage.py load_demo`, and `generate_content` for a
big one), with the cache the site would use (REDIS_URL for Redis, else local memory):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ktnsite REDIS_URL=redis://127.0.0.1:6379/0 \\
        DJANGO_SECRET_KEY=x .venv/bin/python bench/page_cache.py

"off" renders every request (DJANGO_PAGE_CACHE_SECONDS=0); "cold" is a miss every time (the
content generation changes before each request, as after an editor's save: render, plus the
next-go-live query, plus storing the page); "warm" is a hit. It prints figures; nothing
here is asserted (timings belong in no test).
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault(
    "DJANGO_STATIC_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

# No collectstatic output is expected here (whitenoise warns about the missing folder).
warnings.filterwarnings("ignore", "No directory at")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from caching.pagecache import page_cache_invalidate  # noqa: E402
from news.models import Post  # noqa: E402

REQUESTS = 200


def _rate(client, path, before=None):
    """Requests per second (median of five batches) and the X-Page-Cache answer seen."""
    seen = set()
    rates = []
    for _ in range(5):
        elapsed = 0.0
        for _ in range(REQUESTS // 5):
            if before:
                before()
            started = time.perf_counter()
            response = client.get(path)
            elapsed += time.perf_counter() - started
            assert response.status_code == 200, (path, response.status_code)
            seen.add(response.get("X-Page-Cache", "-"))
        rates.append((REQUESTS // 5) / elapsed)
    return statistics.median(rates), "/".join(sorted(seen))


def main():
    post = Post.objects.live().order_by("-publish_at").first()
    if post is None:
        sys.exit("No live post: run manage.py load_demo first.")
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"database: {connection.vendor}, cache: {backend}, live posts: {Post.objects.live().count():,}"
    )
    print(f"{REQUESTS} anonymous requests each through the whole middleware stack (test client)")
    print(f"{'path':60} {'mode':5} {'req/s':>8} {'x-page-cache':>13}")
    seconds = settings.CACHE_MIDDLEWARE_SECONDS or 600
    for path in [post.get_absolute_url(), "/news/"]:
        settings.CACHE_MIDDLEWARE_SECONDS = 0
        rows = [("off", *_rate(Client(), path))]
        settings.CACHE_MIDDLEWARE_SECONDS = seconds
        rows.append(("cold", *_rate(Client(), path, before=page_cache_invalidate)))
        client = Client()
        client.get(path)
        rows.append(("warm", *_rate(client, path)))
        for mode, rate, seen in rows:
            print(f"{path:60} {mode:5} {rate:>8.0f} {seen:>13}")
    cache.clear()


if __name__ == "__main__":
    # No options; --help says what the script measures instead of running it.
    argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    ).parse_args()
    main()
