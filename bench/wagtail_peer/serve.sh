#!/bin/sh
# Start the Wagtail peer on 127.0.0.1:8222 in the background: gunicorn, 2 sync workers, as
# ktnsite's benchmark runs its own server. The pid goes to gunicorn.pid, errors to gunicorn.log.
# Stop it with ./stop.sh. Needs ./setup.sh to have run once.
set -eu
cd "$(dirname "$0")"
if [ -f gunicorn.pid ] && kill -0 "$(cat gunicorn.pid)" 2>/dev/null; then
  echo "The peer is already running (pid $(cat gunicorn.pid))." >&2
  exit 1
fi
# Another server on the port would answer the checks below in the peer's place.
if curl -s -o /dev/null http://127.0.0.1:8222/; then
  echo "Something else already answers on 127.0.0.1:8222: stop it first." >&2
  exit 1
fi
export DJANGO_SETTINGS_MODULE=peersite.settings
.venv/bin/gunicorn peersite.wsgi --bind 127.0.0.1:8222 --workers 2 --log-level warning \
  --daemon --pid gunicorn.pid --error-logfile gunicorn.log
# Wait until it answers, so a benchmark started right after finds it up.
for _ in $(seq 50); do
  [ -f gunicorn.pid ] && curl -s -o /dev/null http://127.0.0.1:8222/ && { echo "The peer is up on http://127.0.0.1:8222/ (pid $(cat gunicorn.pid))."; exit 0; }
  sleep 0.2
done
echo "The peer did not answer on 127.0.0.1:8222; see bench/wagtail_peer/gunicorn.log." >&2
exit 1
