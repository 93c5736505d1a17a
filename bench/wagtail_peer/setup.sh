#!/bin/sh
# Build the Wagtail peer from a fresh clone and start it: its own virtual environment (.venv
# here, with requirements.txt), a new database, migrations, static files, the seeded content,
# then gunicorn on 127.0.0.1:8222 and one request for the article so its renditions exist.
#
#   bench/wagtail_peer/setup.sh            build (dropping the peer's database) and start
#   bench/wagtail_peer/setup.sh --stop     stop the peer (the same as stop.sh)
#
# The database is PEER_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/peer_wagtail);
# it is dropped and made anew, so its name must contain "peer". Needs PostgreSQL, psql and curl.
set -eu
cd "$(dirname "$0")"
if [ "${1:-}" = "--stop" ]; then
  exec ./stop.sh
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "Creating the peer's virtual environment in bench/wagtail_peer/.venv ..."
  "$PYTHON" -m venv .venv
fi
# Reinstall only when requirements.txt changed.
wanted="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ "$(cat .venv/.peer-installed 2>/dev/null)" != "$wanted" ]; then
  echo "Installing Wagtail and the peer's other requirements ..."
  .venv/bin/python -m pip install --quiet -r requirements.txt
  echo "$wanted" > .venv/.peer-installed
fi

url="${PEER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/peer_wagtail}"
name="${url##*/}"
name="${name%%\?*}"
case "$name" in
  *peer*) ;;
  *) echo "Refusing to drop database '$name': the peer's database name must contain 'peer'." >&2
     exit 1 ;;
esac

./stop.sh
echo "Making the database $name anew ..."
# Connect to the server's maintenance database to drop and create the peer's.
admin="${url%/*}/postgres"
psql -q "$admin" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\""

export DJANGO_SETTINGS_MODULE=peersite.settings
.venv/bin/python manage.py migrate --noinput -v0
rm -rf staticfiles
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python manage.py seed_peer

./serve.sh
curl -s -o /dev/null -w "article: HTTP %{http_code}, %{size_download} bytes\n" \
  http://127.0.0.1:8222/news/ktn-and-ukri-release-medicines-manufacturing-impact-report/
