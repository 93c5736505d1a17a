"""Settings for ktnsite, read from environment variables with safe defaults for local use."""

import sys
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url

from ktnsite.environment import read_environment
from ktnsite.logs import logging_config
from ktnsite.settings_editor import EDITOR_CONFIG
from ktnsite.settings_security import PERMISSIONS, csp_policies

BASE_DIR = Path(__file__).resolve().parent.parent

# Every variable, parsed and checked in one place (ktnsite.environment says the rules).
env = read_environment()

DEBUG = env.DJANGO_DEBUG

SECRET_KEY = env.DJANGO_SECRET_KEY
if not SECRET_KEY:
    if not DEBUG:
        # One clear line instead of Django's longer traceback; manage.py and gunicorn
        # both import settings first, so this stops either before it serves anything.
        sys.exit(
            "DJANGO_SECRET_KEY is not set: set it, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-local-development-key"  # noqa: S105 - only ever used with DEBUG on
# Former keys still accepted (sessions, password-reset links) while a new key rolls out.
SECRET_KEY_FALLBACKS = env.DJANGO_SECRET_KEY_FALLBACKS

ALLOWED_HOSTS = env.DJANGO_ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = env.DJANGO_CSRF_TRUSTED_ORIGINS

# The absolute address of the public site, for share links, feeds and canonical URLs.
SITE_URL = env.SITE_URL.rstrip("/")
SITE_NAME = env.SITE_NAME

INSTALLED_APPS = [
    # Django's admin, with the app list kept per permission set (ktnsite.adminsite).
    "ktnsite.adminsite.SiteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.flatpages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "ckeditor",
    "django_tasks",
    "django_tasks_db",
    "reversion",
    "reversion_compare",
    "csp",
    "axes",
    # The one scheduler of periodic jobs (manage.py run_scheduler); below the kernel.
    "scheduling",
    "publishing",
    "outbox",
    "library",
    "caching",
    "review",
    "dashboard",
    "topics",
    "reports",
    "contacts",
    "news",
    "opportunities",
    "events",
    "mailinglist",
    # Last: the site layer gathers every app (tests/settings.py inserts a test app before it).
    "ktnsite",
]

MIDDLEWARE = [
    # /health/live and /health/ready, answered before anything checks the Host header,
    # redirects to HTTPS or consults the page cache (ktnsite.health).
    "ktnsite.health.HealthMiddleware",
    # X-Request-ID and a log line per request, then /metrics and the per-view timings
    # (ktnsite.logs, ktnsite.metrics): outside the page cache, so they see its hits too.
    "ktnsite.logs.RequestLogMiddleware",
    "ktnsite.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The page-view counter's /count/ and /count/view.gif, answered here: none of what
    # follows (CSP, page cache, session, CSRF, auth) has anything to do for them
    # (dashboard.middleware).
    "dashboard.middleware.CounterMiddleware",
    # Content-Security-Policy (strict for readers, relaxed for the admin's editor) and
    # Permissions-Policy on every page; static files need neither.
    "ktnsite.security.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # 405 for TRACE and other unused methods, OPTIONS answered with Allow, and a 400 page for
    # NUL characters or absurdly long query values, before any view or database sees them.
    "ktnsite.security.BadInputMiddleware",
    # Pages any cache may share (caching.pagecache): Cache-Control public and surrogate keys
    # for anonymous readers' pages, and the in-app page cache. Outside the session, CSRF and
    # messages middleware on purpose: it sees whether they touched the response (a cookie,
    # Vary: Cookie), and a stored page is served without running them.
    "caching.pagecache.PageCacheMiddleware",
    # HTML compressed: no per-reader secret is left in a page, so BREACH has nothing to
    # find. Inside the page cache, so stored pages are kept compressed. Files that offer
    # byte ranges (report downloads) are never compressed on the fly (ktnsite.compression).
    "ktnsite.compression.PageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside the messages middleware: tells an editor when a change could not reach the
    # page cache (Redis away), so readers may still see the old page for a short while.
    "caching.pagecache.PageCacheWarningMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An old address (a published item's previous slug) answers 301 to the new one.
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    # ...and so do imported WordPress addresses such as /?p=123, which the home page would
    # otherwise answer (and the page cache keep) with a 200.
    "publishing.middleware.QueryRedirectMiddleware",
    # A read whose database connection died is run again on a fresh one; a database out of
    # reach answers 503 with Retry-After, not 500.
    "ktnsite.dbfaults.DatabaseFaultMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ktnsite.urls"
# django.contrib.redirects keeps old slugs' redirects per site; this project is one site.
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ktnsite.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "ktnsite.wsgi.application"

# Unset DATABASE_URL means an SQLite file beside manage.py, so a newcomer needs nothing.
DATABASES = {
    "default": dj_database_url.parse(
        env.DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env.DATABASE_CONN_MAX_AGE,
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database must take the concurrent writes a runserver or a small gunicorn
    # sees. WAL lets readers go on while one writer writes; IMMEDIATE transactions take the
    # write lock when they begin, so a second writer waits for it (up to the timeout)
    # instead of failing with "database is locked" when a read turns into a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.SQLITE_BUSY_TIMEOUT,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }

if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and env.DATABASE_PREPARED_STATEMENTS
):
    # psycopg 3 sends the values apart from the SQL (server-side binding), so the SQL of a
    # query is the same text every time; once one has run `prepare_threshold` times on a
    # connection it is prepared, and PostgreSQL stops parsing and planning it again. An
    # uncached article then costs the database 0.6 ms of CPU instead of 1.9 (bench/README.md,
    # "through the caches"). Turn it off (DATABASE_PREPARED_STATEMENTS=0) behind a pooler in
    # transaction mode that cannot keep a connection's prepared statements (PgBouncer before
    # 1.21, or without max_prepared_statements).
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": env.DATABASE_PREPARE_THRESHOLD,
        **DATABASES["default"].get("OPTIONS", {}),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One client address over its failed log-ins (any usernames) is refused first, then
# django-axes checks every login attempt (and refuses a locked-out one), then
# Django's own backend checks the password.
AUTHENTICATION_BACKENDS = [
    # Before axes: an address with too many failures across usernames is refused outright.
    "ktnsite.security.LoginAddressLimitBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The only login is the admin's: after it, an unsafe or missing `next` lands on the admin
# index, not on Django's default /accounts/profile/ (which does not exist here).
LOGIN_REDIRECT_URL = "admin:index"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.STATIC_ROOT or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Apps' static files as usual, but of django-ckeditor's only what its editor loads: none of
# its HTML test and sample pages, which would run from our origin (ktnsite.staticfiles).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "ktnsite.staticfiles.AppDirectoriesFinder",
]
MEDIA_URL = env.MEDIA_URL
MEDIA_ROOT = Path(env.MEDIA_ROOT or BASE_DIR / "media")
# Django serves uploads itself only for local runs and tests; production serves them from
# the storage backend (a CDN or S3-compatible bucket) or the web server in front.
SERVE_MEDIA = DEBUG if env.DJANGO_SERVE_MEDIA is None else env.DJANGO_SERVE_MEDIA
# Uploaded images (hero images, contact photos, report covers): size and pixel caps. The pixel
# cap stops decompression bombs: a small file that would take gigabytes to open.
IMAGE_MAX_BYTES = env.IMAGE_MAX_MB * 1024 * 1024
IMAGE_MAX_PIXELS = env.IMAGE_MAX_MEGAPIXELS * 1_000_000
# An animation (GIF, WebP, PNG) costs its frames times its canvas to decode: at most
# IMAGE_MAX_FRAMES frames and IMAGE_MAX_ANIMATION_MEGAPIXELS across them.
IMAGE_MAX_FRAMES = env.IMAGE_MAX_FRAMES
IMAGE_MAX_ANIMATION_PIXELS = env.IMAGE_MAX_ANIMATION_MEGAPIXELS * 1_000_000


def media_storage():
    """The STORAGES["default"] entry: local files unless DJANGO_MEDIA_STORAGE says otherwise.

    `s3` (or django-storages' class path) stores uploads in an S3-compatible bucket, so any
    number of app servers share them; any other class path is used as it is, without options.
    """
    env = read_environment()  # read again: tests change the environment and call this
    backend = env.DJANGO_MEDIA_STORAGE.strip()
    if backend in ("", "filesystem"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend not in ("s3", "storages.backends.s3.S3Storage"):
        return {"BACKEND": backend}
    if not env.MEDIA_S3_BUCKET:
        sys.exit("DJANGO_MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET, the bucket's name.")
    options = {
        "bucket_name": env.MEDIA_S3_BUCKET,
        # Public links by default: pages (and cached copies of them) carry image addresses,
        # and a signed address would stop working in a cached page once it expired.
        "querystring_auth": env.MEDIA_S3_QUERYSTRING_AUTH,
        "querystring_expire": env.MEDIA_S3_QUERYSTRING_EXPIRE,
        # Signature version 4: the one every AWS region and S3-compatible service accepts
        # (botocore would otherwise sign some addresses with the retired version 2).
        "signature_version": "s3v4",
        # Never overwrite: a second upload of "report.pdf" gets a new name, as on disk.
        "file_overwrite": False,
        # Files read back (report downloads, renditions) spill to a temporary file past this
        # size instead of being held whole in memory.
        "max_memory_size": env.MEDIA_S3_MAX_MEMORY_MB * 1024 * 1024,
    }
    optional = {
        "endpoint_url": env.MEDIA_S3_ENDPOINT_URL,  # MinIO, Ceph, R2... unset: AWS
        "region_name": env.MEDIA_S3_REGION,
        "access_key": env.MEDIA_S3_ACCESS_KEY_ID,  # unset: boto3's own chain (role, AWS_*)
        "secret_key": env.MEDIA_S3_SECRET_ACCESS_KEY,
        "custom_domain": env.MEDIA_S3_CUSTOM_DOMAIN,  # a CDN in front of the bucket
        "default_acl": env.MEDIA_S3_DEFAULT_ACL,  # unset: the bucket's policy decides
        "location": env.MEDIA_S3_PREFIX,  # a folder inside the bucket
        "addressing_style": env.MEDIA_S3_ADDRESSING_STYLE,  # "path" for most MinIO setups
    }
    options.update({key: value for key, value in optional.items() if value})
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); the plain backend
        # when debugging or testing, where no collectstatic has run.
        "BACKEND": env.DJANGO_STATIC_STORAGE
        or (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The shared cache: also where rate-limit counters live, so it must be shared between app
# servers in production (REDIS_URL). Local memory is fine for one process.
# Rate-limit counters have a cache of their own ("ratelimit"): in Redis too, but they fall
# back to this process's memory while Redis is away (ktnsite.ratelimit), so a Redis outage
# never turns an enquiry or a sign-up into a 500.
REDIS_URL = env.REDIS_URL
if REDIS_URL:
    # A few hundred milliseconds: Redis on the local network answers in one, and a Redis that
    # hangs must cost a reader's request no more than this (then the page cache is skipped).
    _redis_timeout = env.REDIS_TIMEOUT_SECONDS
    _redis_options = {"socket_connect_timeout": _redis_timeout, "socket_timeout": _redis_timeout}
    CACHES = {
        "default": {
            # Django's, reusing its Redis client (ktnsite.cache says why).
            "BACKEND": "ktnsite.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _redis_options,
        },
        "ratelimit": {
            "BACKEND": "ktnsite.ratelimit.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _redis_options,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ratelimit",
        },
    }
RATELIMIT_USE_CACHE = "ratelimit"

# The page cache (caching.pagecache): how long the server keeps an anonymous reader's page
# (0 turns it off), and how long a browser may keep it. Saving any content empties it at once.
CACHE_MIDDLEWARE_SECONDS = env.DJANGO_PAGE_CACHE_SECONDS
PAGE_CACHE_BROWSER_SECONDS = env.DJANGO_PAGE_CACHE_BROWSER_SECONDS
CACHE_MIDDLEWARE_ALIAS = "default"
CACHE_MIDDLEWARE_KEY_PREFIX = ""

# Front caches (Varnish, a CDN) in front of the app servers. Anonymous readers' pages say
# `Cache-Control: public, s-maxage=FRONT_CACHE_SECONDS` (never past the next scheduled
# go-live) and name what they show in Surrogate-Key / xkey; 0 marks no page public. With
# purging configured below, a change is purged at once, so this may be long (a day).
FRONT_CACHE_SECONDS = env.DJANGO_FRONT_CACHE_SECONDS
# Where a change is purged, after its commit, by a background task (caching.purge).
FRONT_CACHE_PURGERS = []
if env.DJANGO_FRONT_CACHE_VARNISH:
    # Each Varnish's address as the app servers reach it, e.g. http://10.0.0.5:6081
    FRONT_CACHE_PURGERS.append(
        {
            "BACKEND": "caching.purge.VarnishPurger",
            "OPTIONS": {"urls": env.DJANGO_FRONT_CACHE_VARNISH},
        }
    )
if env.DJANGO_FRONT_CACHE_PURGE_URL:
    # Any cache that purges by key over HTTP: PURGE with the keys in Surrogate-Key.
    FRONT_CACHE_PURGERS.append(
        {
            "BACKEND": "caching.purge.HTTPPurger",
            "OPTIONS": {
                "url": env.DJANGO_FRONT_CACHE_PURGE_URL,
                "method": env.DJANGO_FRONT_CACHE_PURGE_METHOD,
                "key_header": env.DJANGO_FRONT_CACHE_PURGE_KEY_HEADER,
                "headers": (
                    {"Authorization": env.DJANGO_FRONT_CACHE_PURGE_AUTHORIZATION}
                    if env.DJANGO_FRONT_CACHE_PURGE_AUTHORIZATION
                    else {}
                ),
            },
        }
    )
if env.CLOUDFLARE_ZONE_ID:
    FRONT_CACHE_PURGERS.append(
        {
            "BACKEND": "caching.purge.CloudflarePurger",
            "OPTIONS": {
                "zone_id": env.CLOUDFLARE_ZONE_ID,
                "api_token": env.CLOUDFLARE_API_TOKEN,
                "api_url": env.CLOUDFLARE_API_URL,
            },
        }
    )
if env.CLOUDFRONT_DISTRIBUTION_ID:
    FRONT_CACHE_PURGERS.append(
        {
            "BACKEND": "caching.purge.CloudFrontPurger",
            "OPTIONS": {
                "distribution_id": env.CLOUDFRONT_DISTRIBUTION_ID,
                "endpoint_url": env.CLOUDFRONT_ENDPOINT_URL or None,
            },
        }
    )
# Cloudflare reads a page's keys from Cache-Tag (comma-separated), not Surrogate-Key.
FRONT_CACHE_TAG_HEADER = (
    bool(env.CLOUDFLARE_ZONE_ID)
    if env.DJANGO_FRONT_CACHE_TAG_HEADER is None
    else env.DJANGO_FRONT_CACHE_TAG_HEADER
)
FRONT_CACHE_PURGE_ATTEMPTS = env.DJANGO_FRONT_CACHE_PURGE_ATTEMPTS
FRONT_CACHE_PURGE_TIMEOUT = env.DJANGO_FRONT_CACHE_PURGE_TIMEOUT

# Background work (email delivery, alerts) goes through Django's tasks API (django-tasks), on
# the database queue: a request only records a task, and `manage.py db_worker` (started by
# scripts/run beside runserver; a service of its own in production) runs it. So mail is never
# sent inside a reader's request, and a slow mail server holds only the worker. The test
# suite uses the immediate backend (pyproject.toml), which runs a task at once, in-process;
# `check --deploy` warns if a deployment uses it with a real mail server (ktnsite.checks).
TASKS = {"default": {"BACKEND": env.DJANGO_TASKS_BACKEND}}
# Health probes (ktnsite.health, docs/operations.md "Health checks"): which check failed and
# why is shown only to these addresses or networks, or to `Authorization: Bearer HEALTH_TOKEN`.
HEALTH_DETAIL_ADDRESSES = env.HEALTH_DETAIL_ADDRESSES
HEALTH_TOKEN = env.HEALTH_TOKEN
# Readiness fails when more tasks than this wait, or the oldest has waited longer (seconds).
HEALTH_TASK_BACKLOG_MAX = env.HEALTH_TASK_BACKLOG_MAX
HEALTH_TASK_MAX_AGE_SECONDS = env.HEALTH_TASK_MAX_AGE_SECONDS
# How many processes serve the site (gunicorn reads WEB_CONCURRENCY for its worker count):
# `check --deploy` warns when more than one would each keep a cache of their own.
SERVER_PROCESSES = env.WEB_CONCURRENCY

# Email: printed to the console when debugging, SMTP otherwise (configure below).
EMAIL_BACKEND = env.DJANGO_EMAIL_BACKEND or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env.EMAIL_HOST
EMAIL_PORT = env.EMAIL_PORT
EMAIL_HOST_USER = env.EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = env.EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = env.EMAIL_USE_TLS
EMAIL_USE_SSL = env.EMAIL_USE_SSL
EMAIL_TIMEOUT = env.EMAIL_TIMEOUT
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The outbox for all mail (outbox.delivery): enquiries, sign-up emails, alerts, digests.
# At least once: a failed attempt is retried after OUTBOX_RETRY_SECONDS, doubling each time
# up to OUTBOX_MAX_RETRY_SECONDS; after OUTBOX_MAX_ATTEMPTS the message is "failed" (shown to
# editors, who can retry it). A claim older than OUTBOX_CLAIM_TIMEOUT_SECONDS belonged to a
# worker that died and is taken over; it is far longer than any SMTP exchange.
# (CONTACTS_ENQUIRY_MAX_ATTEMPTS / _RETRY_SECONDS are the older names, still read, with a
# warning: docs/operations.md, "Deprecated names".)
for _old, _new in [
    ("CONTACTS_ENQUIRY_MAX_ATTEMPTS", "OUTBOX_MAX_ATTEMPTS"),
    ("CONTACTS_ENQUIRY_RETRY_SECONDS", "OUTBOX_RETRY_SECONDS"),
]:
    if getattr(env, _old) is not None and getattr(env, _new) is None:
        warnings.warn(
            f"{_old} is deprecated and will stop being read: set {_new} instead.",
            FutureWarning,
            stacklevel=1,
        )
OUTBOX_MAX_ATTEMPTS = next(
    v for v in [env.OUTBOX_MAX_ATTEMPTS, env.CONTACTS_ENQUIRY_MAX_ATTEMPTS, 10] if v is not None
)
OUTBOX_RETRY_SECONDS = next(
    v for v in [env.OUTBOX_RETRY_SECONDS, env.CONTACTS_ENQUIRY_RETRY_SECONDS, 60] if v is not None
)
OUTBOX_MAX_RETRY_SECONDS = env.OUTBOX_MAX_RETRY_SECONDS
OUTBOX_CLAIM_TIMEOUT_SECONDS = env.OUTBOX_CLAIM_TIMEOUT_SECONDS

# Checking funding opportunities' apply links (opportunities.linkcheck): seconds per request,
# and whether private addresses may be fetched (never in production: the tests' loopback
# server only).
OPPORTUNITY_LINK_CHECK_TIMEOUT = 10
OPPORTUNITY_LINK_CHECK_PRIVATE = False

# Enquiries to contacts (contacts app). The rate is per client IP, counted in the shared cache.
CONTACTS_ENQUIRY_RATE = env.CONTACTS_ENQUIRY_RATE
# Delivered enquiries older than this are deleted by `manage.py purge_enquiries` (0: never).
CONTACTS_ENQUIRY_RETENTION_DAYS = env.CONTACTS_ENQUIRY_RETENTION_DAYS
# The slug of the contact an inactive person's page points to when their topics have no
# other active contact; empty means the page points to the directory.
CONTACTS_GENERAL_ENQUIRIES = env.CONTACTS_GENERAL_ENQUIRIES
# The client's address, for every per-address limit (enquiries, sign-ups, login throttling):
# one function, ktnsite.security.client_ip, that django-ratelimit and django-axes both call.
# Behind N proxies that each append to X-Forwarded-For, set DJANGO_TRUSTED_PROXY_COUNT=N; the
# client is then the Nth address from the right. 0 (the default) believes no header at all.
# RATELIMIT_IP_META_KEY (the older setting) still names a one-proxy header such as
# HTTP_X_REAL_IP, with a warning.
_legacy_ip_header = env.RATELIMIT_IP_META_KEY.strip()
if _legacy_ip_header:
    warnings.warn(
        "RATELIMIT_IP_META_KEY is deprecated and will stop being read: set "
        "DJANGO_CLIENT_IP_HEADER and DJANGO_TRUSTED_PROXY_COUNT=1 instead.",
        FutureWarning,
        stacklevel=1,
    )
CLIENT_IP_HEADER = (env.DJANGO_CLIENT_IP_HEADER or "").strip() or (
    _legacy_ip_header or "HTTP_X_FORWARDED_FOR"
)
CLIENT_IP_PROXY_COUNT = (
    (1 if _legacy_ip_header else 0)
    if env.DJANGO_TRUSTED_PROXY_COUNT is None
    else env.DJANGO_TRUSTED_PROXY_COUNT
)
RATELIMIT_IP_META_KEY = "ktnsite.security.client_ip"
# Behind a TLS-terminating proxy in production.
if env.DJANGO_SECURE_PROXY_SSL:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = (
    not DEBUG if env.DJANGO_SECURE_COOKIES is None else env.DJANGO_SECURE_COOKIES
)
# HTTPS only: off by default so a local run over plain HTTP works. HSTS is hard to take back
# (browsers remember it for its whole max-age), so production turns it on deliberately.
SECURE_SSL_REDIRECT = env.DJANGO_SECURE_SSL_REDIRECT
# A load balancer's health check usually speaks plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.DJANGO_SECURE_HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS
SECURE_HSTS_PRELOAD = env.DJANGO_SECURE_HSTS_PRELOAD
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = env.DJANGO_REFERRER_POLICY
SECURE_CROSS_ORIGIN_OPENER_POLICY = env.DJANGO_CROSS_ORIGIN_OPENER_POLICY
X_FRAME_OPTIONS = "DENY"


# Content-Security-Policy (django-csp) and Permissions-Policy: ktnsite.settings_security.
_csp_policy, CSP_ADMIN_REPLACE = csp_policies(STATIC_URL, env.DJANGO_CSP_REPORT_URI)
PERMISSIONS_POLICY = PERMISSIONS
# Report-only sends the same policy as Content-Security-Policy-Report-Only: browsers then
# report what it would block without blocking it (to try a change on a live site first).
if env.DJANGO_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp_policy
else:
    CONTENT_SECURITY_POLICY = _csp_policy
# Login throttling (django-axes) for the admin's login form: after LOGIN_FAILURE_LIMIT
# failed attempts for one username from one client address, that pair is refused for
# LOGIN_LOCKOUT_MINUTES with a 429 page. Counting the pair, not the address alone, keeps
# one office behind a shared address from locking everyone out; counting the pair, not the
# username alone, stops a stranger from locking an editor out. Attempts are rows in the
# database (axes' default handler), so every app server sees the same count.
AXES_FAILURE_LIMIT = env.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=env.LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and an address that fails LOGIN_ADDRESS_FAILURE_LIMIT times across any usernames
# (password spraying) is paused too, for the same time (ktnsite.security).
LOGIN_ADDRESS_FAILURE_LIMIT = env.LOGIN_ADDRESS_FAILURE_LIMIT
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ktnsite.security.login_locked_out"
# The client's address: the same function the per-IP rate limits use (see CLIENT_IP_*).
AXES_CLIENT_IP_CALLABLE = "ktnsite.security.client_ip"

# django-ckeditor bundles CKEditor 4, which upstream no longer supports. We keep it only
# as an admin widget: publishing.richtext sanitises every body on save and on render, so
# the warning about the bundled editor is acknowledged here rather than ignored.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The finder's covering index (opportunities) lists non-key columns that only PostgreSQL
    # stores in the index; SQLite makes the index without them, which is all it can do.
    SILENCED_SYSTEM_CHECKS += ["models.W040"]
if not REDIS_URL:
    # django-ratelimit warns that local memory is not shared between processes: true, and
    # acceptable for one local process; every multi-process deployment sets REDIS_URL.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]
# django-ratelimit names only django-redis and memcached as supported; Django's own Redis
# cache (which ktnsite.ratelimit extends) increments atomically too.
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"]
CKEDITOR_CONFIGS = {"default": EDITOR_CONFIG}

# Metrics and logs (ktnsite.metrics, ktnsite.logs, docs/operations.md).
# /metrics for Prometheus, shown to whom the health details are; off: no /metrics, no timing.
METRICS_ENABLED = env.METRICS_ENABLED
# Where gunicorn's workers and the task worker each write their counters, to be added up at
# a scrape (prometheus_client's multi-process mode); unset: each process shows its own.
METRICS_MULTIPROC_DIR = env.PROMETHEUS_MULTIPROC_DIR
# "plain" (readable lines, the default) or "json" (one JSON object per line, for collectors).
LOG_FORMAT = env.LOG_FORMAT
# A line per request (method, path, status, duration, user id) and an X-Request-ID on each.
LOG_REQUESTS = env.LOG_REQUESTS
LOGGING = logging_config(LOG_FORMAT, env.DJANGO_LOG_LEVEL)

# Reports (issue 4): the largest upload accepted, and the bounds on reading a file's pages
# and text on upload (done in a child process that is killed on the timeout).
REPORTS_MAX_UPLOAD_BYTES = env.REPORTS_MAX_UPLOAD_BYTES
REPORTS_EXTRACT_TIMEOUT = env.REPORTS_EXTRACT_TIMEOUT
REPORTS_EXTRACT_MEMORY_MB = env.REPORTS_EXTRACT_MEMORY_MB
REPORTS_EXTRACT_MAX_PAGES = env.REPORTS_EXTRACT_MAX_PAGES
REPORTS_EXTRACT_MAX_CHARS = env.REPORTS_EXTRACT_MAX_CHARS
# Who "Request an accessible format" names when a report has no contact of its own: the
# slug of the site-wide accessibility contact. Without one (or if they are inactive) the
# link leads to REPORTS_ACCESSIBLE_FORMAT_URL: a contact's page or a mailto: address for
# the team that produces alternative formats.
REPORTS_ACCESSIBLE_FORMAT_CONTACT = env.REPORTS_ACCESSIBLE_FORMAT_CONTACT
REPORTS_ACCESSIBLE_FORMAT_URL = env.REPORTS_ACCESSIBLE_FORMAT_URL

# The mailing list (mailinglist/). Alerts go out for the content types declared with
# `alerts=True` (publishing.registry); the mailing list learns of them through publishing's
# signal and never imports them. Set (comma-separated "app.Model" labels) only to override
# the declarations; unset or empty: the declarations decide.
MAILINGLIST_ALERT_MODELS = env.MAILINGLIST_ALERT_MODELS or None
# An item saved as published with a publish time further back than this (an old article
# imported or edited) is not news: it alerts nobody.
MAILINGLIST_ALERT_MAX_AGE_HOURS = env.MAILINGLIST_ALERT_MAX_AGE_HOURS

# How often a change form with unsaved changes keeps them on the server (publishing.Autosave).
PUBLISHING_AUTOSAVE_SECONDS = env.PUBLISHING_AUTOSAVE_SECONDS
# "Erin is editing this post": an open change form says so every third of this (in the
# shared cache); one not heard from for this long has been closed (publishing.editing).
PUBLISHING_PRESENCE_SECONDS = env.PUBLISHING_PRESENCE_SECONDS
# How long a file chosen in a form that failed validation is kept for the next submit
# (library.uploads); older ones are deleted when another is kept.
PUBLISHING_PENDING_UPLOAD_HOURS = env.PUBLISHING_PENDING_UPLOAD_HOURS
# Registrations for an event (names, emails, accessibility needs) are deleted this many days
# after it ends (the purge_registrations job, daily).
EVENTS_REGISTRATION_RETENTION_DAYS = env.EVENTS_REGISTRATION_RETENTION_DAYS
# The largest recording accepted as a file (slides and other documents take
# REPORTS_MAX_UPLOAD_BYTES): a longer video belongs on a video site, linked as the recording.
EVENTS_MAX_RECORDING_BYTES = 500 * 1024 * 1024
MAILINGLIST_CONFIRM_DAYS = env.MAILINGLIST_CONFIRM_DAYS
# django-ratelimit rates ("count/period") for sign-ups, kept in the shared cache.
MAILINGLIST_SIGNUP_RATE_IP = env.MAILINGLIST_SIGNUP_RATE_IP
MAILINGLIST_SIGNUP_RATE_ADDRESS = env.MAILINGLIST_SIGNUP_RATE_ADDRESS
# ...and per mailbox (the address without its +tag, case-folded) and per recipient domain,
# so +tags or a run of addresses at one employer cannot flood an inbox or a mail server.
# A domain such as gmail.com is shared by many honest readers: keep its rate generous.
MAILINGLIST_SIGNUP_RATE_MAILBOX = env.MAILINGLIST_SIGNUP_RATE_MAILBOX
MAILINGLIST_SIGNUP_RATE_DOMAIN = env.MAILINGLIST_SIGNUP_RATE_DOMAIN

# Reviews (the review app): the content types whose items need a second person's approval
# before they go live, as model labels ("news.post,reports.report"). Off by default, so a
# one-person site works as before; imports and commands run as the system and are exempt.
REVIEW_REQUIRED = env.REVIEW_REQUIRED
