#!/usr/bin/env bash
# Production smoke test: the site as deployed (production settings, PostgreSQL, Redis, gunicorn
# with deploy/gunicorn.conf.py, the task worker, the scheduler, Varnish with
# deploy/varnish/default.vcl in front, a local SMTP server), on a fresh database that is
# dropped at the end. Run from .ci/run after the tests; exits non-zero naming the failed step.
# Needs PostgreSQL and Redis on 127.0.0.1 and the project's virtualenv active.
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE_DB="${SMOKE_DB:-ktnsite_smoke}"
SMOKE_REDIS_DB="${SMOKE_REDIS_DB:-11}"
PG="postgres://postgres@127.0.0.1:5432"
export PGOPTIONS="--client-min-messages=warning"
WORK="$(mktemp -d)"
PIDS=()
STEP="starting"

free_port() { python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cleanup() {
  status=$?
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ]; then
    echo "SMOKE TEST FAILED at: $STEP" >&2
    for log in "$WORK"/*.log; do
      [ -s "$log" ] && { echo "--- last lines of $(basename "$log")" >&2; tail -n 25 "$log" >&2; }
    done
  fi
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $SMOKE_DB WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 -n "$SMOKE_REDIS_DB" flushdb >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

step() { STEP="$1"; echo "smoke: $1"; }

WEB_PORT="$(free_port)"
VARNISH_PORT="$(free_port)"
SMTP_PORT="$(free_port)"
HOST="smoke.example.org"

# Production settings, as docs/operations.md ("Deploying with systemd") sets them.
export DJANGO_DEBUG=0
DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS="$HOST,127.0.0.1"
export DJANGO_CSRF_TRUSTED_ORIGINS="https://$HOST"
export SITE_URL="https://$HOST"
export DJANGO_SECURE_PROXY_SSL=1
export DJANGO_SECURE_SSL_REDIRECT=1
export DJANGO_SECURE_HSTS_SECONDS=3600
export DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS=1
export DJANGO_SECURE_HSTS_PRELOAD=1
export DJANGO_TRUSTED_PROXY_COUNT=1
export DATABASE_URL="$PG/$SMOKE_DB"
export REDIS_URL="redis://127.0.0.1:6379/$SMOKE_REDIS_DB"
export WEB_CONCURRENCY=2
export GUNICORN_BIND="127.0.0.1:$WEB_PORT"
export PROMETHEUS_MULTIPROC_DIR="$WORK/metrics"
export LOG_FORMAT=json
export STATIC_ROOT="$WORK/static"
export MEDIA_ROOT="$WORK/media"
export EMAIL_HOST=127.0.0.1
export EMAIL_PORT="$SMTP_PORT"
export DJANGO_FRONT_CACHE_VARNISH="http://127.0.0.1:$VARNISH_PORT"
mkdir -p "$PROMETHEUS_MULTIPROC_DIR" "$MEDIA_ROOT"

# Every request says what Varnish and the app see behind a TLS proxy.
CURL=(curl -sS --max-time 20 -H "Host: $HOST" -H "X-Forwarded-Proto: https")
VARNISH="http://127.0.0.1:$VARNISH_PORT"

step "creating the database $SMOKE_DB"
psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $SMOKE_DB WITH (FORCE)" >/dev/null
psql -q "$PG/postgres" -c "CREATE DATABASE $SMOKE_DB" >/dev/null
redis-cli -h 127.0.0.1 -n "$SMOKE_REDIS_DB" flushdb >/dev/null

step "manage.py check --deploy --fail-level WARNING"
python manage.py check --deploy --fail-level WARNING >"$WORK/check.log" 2>&1 || { cat "$WORK/check.log"; exit 1; }
if grep -q "WARNING\|(security\." "$WORK/check.log"; then cat "$WORK/check.log"; exit 1; fi

step "manage.py migrate"
python manage.py migrate --no-input >"$WORK/migrate.log" 2>&1
step "manage.py collectstatic"
python manage.py collectstatic --no-input >"$WORK/collectstatic.log" 2>&1
step "manage.py load_demo"
python manage.py load_demo >"$WORK/load_demo.log" 2>&1

step "starting the SMTP server, gunicorn, the worker, the scheduler and Varnish"
python -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" >"$WORK/smtp.log" 2>&1 &
PIDS+=($!)
gunicorn -c deploy/gunicorn.conf.py >"$WORK/gunicorn.log" 2>&1 &
PIDS+=($!)
python manage.py db_worker >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
python manage.py run_scheduler >"$WORK/scheduler.log" 2>&1 &
PIDS+=($!)
mkdir -p "$WORK/varnish"
cat >"$WORK/varnish/app_servers.vcl" <<EOF
backend app1 { .host = "127.0.0.1"; .port = "$WEB_PORT"; }
acl purgers { "127.0.0.1"; }
sub vcl_init { new app = directors.round_robin(); app.add_backend(app1); }
EOF
VARNISHD="$(command -v varnishd || echo /usr/sbin/varnishd)"
"$VARNISHD" -F -j none -a "127.0.0.1:$VARNISH_PORT" -f "$PWD/deploy/varnish/default.vcl" \
  -p vcl_path="$WORK/varnish:$PWD/deploy/varnish" -n "$WORK/varnish/n" -s malloc,64m \
  -p vcc_err_unref=off >"$WORK/varnishd.log" 2>&1 &
PIDS+=($!)

step "waiting for /health/ready to answer 200 through Varnish"
ready=""
for _ in $(seq 1 120); do
  code="$("${CURL[@]}" -o "$WORK/ready.json" -w '%{http_code}' "$VARNISH/health/ready" 2>/dev/null || true)"
  if [ "$code" = "200" ]; then ready=1; break; fi
  sleep 0.5
done
[ -n "$ready" ] || { cat "$WORK/ready.json" 2>/dev/null; exit 1; }

# load_demo queued image renditions, and each rendition purges the pages that
# show it; a purge landing between the two reads below would turn the hit into
# a miss, so the worker drains what is due first (the scheduler's later jobs
# do not touch the article).
step "waiting for the worker to finish the tasks load_demo queued"
drained=""
for _ in $(seq 1 120); do
  left="$(python manage.py shell -c 'from django_tasks_db.models import DBTaskResult as R
print((R.objects.ready() | R.objects.running()).count())' | tail -n 1)"
  if [ "$left" = "0" ]; then drained=1; break; fi
  sleep 0.5
done
[ -n "$drained" ] || { echo "$left tasks still queued"; tail -n 20 "$WORK/worker.log"; exit 1; }

ARTICLE="/news/ktn-and-ukri-release-medicines-manufacturing-impact-report/"
step "reading the seed article through Varnish (a miss, then a hit)"
for want in MISS HIT; do
  "${CURL[@]}" -o "$WORK/article.html" -D "$WORK/article.headers" "$VARNISH$ARTICLE"
  head -n 1 "$WORK/article.headers" | grep -q " 200" || { head -n 1 "$WORK/article.headers"; exit 1; }
  grep -qi "^X-Cache: $want" "$WORK/article.headers" \
    || { echo "expected X-Cache: $want"; cat "$WORK/article.headers"; exit 1; }
done
grep -q "medicines manufacturing" "$WORK/article.html" || grep -qi "impact report" "$WORK/article.html"

CONTACT="$(python manage.py shell -c \
  'from contacts.models import Contact; print(Contact.objects.filter(is_active=True).order_by("slug").first().slug)' | tail -n 1)"
SUBJECT="Smoke test enquiry $RANDOM$RANDOM"
step "posting an enquiry to /contacts/$CONTACT/ through Varnish"
"${CURL[@]}" -c "$WORK/cookies" -b "$WORK/cookies" -o /dev/null "$VARNISH/contacts/$CONTACT/"
code="$("${CURL[@]}" -c "$WORK/cookies" -b "$WORK/cookies" -o "$WORK/post.html" -w '%{http_code}' \
  -H "Origin: https://$HOST" -H "Sec-Fetch-Site: same-origin" \
  --data-urlencode "name=Smoke Test" --data-urlencode "email=smoke@example.org" \
  --data-urlencode "organisation=CI" --data-urlencode "subject=$SUBJECT" \
  --data-urlencode "message=A message sent by deploy/smoke.sh." --data-urlencode "consent=on" \
  "$VARNISH/contacts/$CONTACT/")"
[ "$code" = "302" ] || { echo "POST answered $code, not the redirect to the thank-you page"; exit 1; }

step "waiting for the worker to deliver the enquiry to the SMTP server"
for _ in $(seq 1 60); do
  grep -q "$SUBJECT" "$WORK/smtp.log" && break
  sleep 0.5
done
grep -q "$SUBJECT" "$WORK/smtp.log"

step "reading /metrics (the gunicorn workers' figures, summed from PROMETHEUS_MULTIPROC_DIR)"
"${CURL[@]}" -f -o "$WORK/metrics.txt" "http://127.0.0.1:$WEB_PORT/metrics"
grep -q '^ktnsite_http_requests_total{.*method="POST".*} 1.0$' "$WORK/metrics.txt" \
  || { grep '^ktnsite_http_requests_total' "$WORK/metrics.txt"; exit 1; }

step "done"
echo "smoke: passed"
