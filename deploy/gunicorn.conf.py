"""Gunicorn's settings for ktnsite: `gunicorn -c deploy/gunicorn.conf.py ktnsite.wsgi`.

Everything comes from the same environment as the site (deploy/.env.example): the number of
workers from WEB_CONCURRENCY, the address from GUNICORN_BIND. docs/operations.md, "Deploying
with systemd", says how it is run.
"""

import os

wsgi_app = "ktnsite.wsgi:application"

# Loopback by default: Varnish or a TLS proxy on the same machine is the only client.
bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"
workers = int(os.environ.get("WEB_CONCURRENCY") or 1)

# A request slower than this is killed (its worker restarted); on SIGTERM (a restart or
# systemd's stop) requests under way get graceful_timeout seconds to finish.
timeout = 30
graceful_timeout = 30
keepalive = 5

# The app logs one line per request itself (LOG_REQUESTS, with its request id): no access log.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("DJANGO_LOG_LEVEL", "info").lower()

# No control socket (gunicorn 24+ puts one in the home folder, read-only under systemd's
# ProtectHome): systemd's signals are enough to reload and stop.
control_socket_disable = True

# Workers load the app after the fork, so each opens its own database and Redis connections.
preload_app = False


def child_exit(server, worker):
    """Drop a dead worker's live gauges from the shared metrics folder (prometheus_client)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
