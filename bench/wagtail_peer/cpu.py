"""In-process cost of the Wagtail peer's article: SQL queries and CPU milliseconds per request.

Requests go straight through Django's WSGIHandler (no server, no network), so the CPU time is
the peer's own: time.process_time over N requests after 30 warm-up requests, which make the
renditions and fill the caches a running server would already have.

    bench/wagtail_peer/.venv/bin/python bench/wagtail_peer/cpu.py [path] [N] [--sql]

Needs the database that setup.sh builds; the server need not run.
"""

import io
import os
import sys
import time

# The peer's apps live next to this file, whatever the current directory is.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersite.settings")

import django  # noqa: E402 - the path and settings above come first

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ARTICLE = "/news/ktn-and-ukri-release-medicines-manufacturing-impact-report/"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0] if args else ARTICLE
    n = int(args[1]) if len(args) > 1 else 300
    app = WSGIHandler()

    def request():
        # The host and port the seeded Site has, so Site.find_for_request matches it.
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8222",
            "HTTP_HOST": "127.0.0.1:8222",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_ACCEPT_ENCODING": "gzip",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        status = []
        body = b"".join(app(environ, lambda code, headers, exc_info=None: status.append(code)))
        return status[0], len(body)

    for _ in range(30):
        status, size = request()
    print(f"response {status}, {size} bytes")

    with CaptureQueriesContext(connection) as queries:
        request()
    print("SQL queries per request:", len(queries.captured_queries))
    if "--sql" in sys.argv:
        for query in queries.captured_queries:
            print("  ", query["sql"][:300])

    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        request()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"{n} requests: wall {wall / n * 1000:.2f} ms/req, CPU {cpu / n * 1000:.2f} ms/req")


if __name__ == "__main__":
    main()
