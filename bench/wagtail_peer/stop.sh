#!/bin/sh
# Stop the Wagtail peer that serve.sh started (the gunicorn whose pid is in gunicorn.pid).
set -eu
cd "$(dirname "$0")"
[ -f gunicorn.pid ] || { echo "The peer is not running (no gunicorn.pid)."; exit 0; }
pid="$(cat gunicorn.pid)"
if kill "$pid" 2>/dev/null; then
  # gunicorn removes its pid file once its workers have stopped.
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "Stopped the peer (pid $pid)."
else
  echo "The peer was not running (stale gunicorn.pid)."
fi
rm -f gunicorn.pid
