"""Settings for ktnsite, read from environment variables with safe defaults for local use."""

import os
import sys
import warnings
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # One clear line instead of Django's longer traceback; manage.py and gunicorn
        # both import settings first, so this stops either before it serves anything.
        sys.exit(
            "DJANGO_SECRET_KEY is not set: set it, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-local-development-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The absolute address of the public site, for share links, feeds and canonical URLs.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Innovate UK Business Connect")

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "publishing",
    "topics",
    "reports",
    "contacts",
    "news",
    "opportunities",
    "mailinglist",
    "ktnsite",
]

MIDDLEWARE = [
    # /health/live and /health/ready, answered before anything checks the Host header,
    # redirects to HTTPS or consults the page cache (ktnsite.health).
    "ktnsite.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy (strict for readers, relaxed for the admin's editor) and
    # Permissions-Policy on every page; static files need neither.
    "ktnsite.security.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # 405 for TRACE and other unused methods, OPTIONS answered with Allow, and a 400 page for
    # NUL characters or absurdly long query values, before any view or database sees them.
    "ktnsite.security.BadInputMiddleware",
    # Pages any cache may share (ktnsite.pagecache): Cache-Control public and surrogate keys
    # for anonymous readers' pages, and the in-app page cache. Outside the session, CSRF and
    # messages middleware on purpose: it sees whether they touched the response (a cookie,
    # Vary: Cookie), and a stored page is served without running them.
    "ktnsite.pagecache.PageCacheMiddleware",
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
    "ktnsite.pagecache.PageCacheWarningMiddleware",
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
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
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
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
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
        "prepare_threshold": int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "5")),
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
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Apps' static files as usual, but of django-ckeditor's only what its editor loads: none of
# its HTML test and sample pages, which would run from our origin (ktnsite.staticfiles).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "ktnsite.staticfiles.AppDirectoriesFinder",
]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Django serves uploads itself only for local runs and tests; production serves them from
# the storage backend (a CDN or S3-compatible bucket) or the web server in front.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)
# Uploaded images (hero images, contact photos, report covers): size and pixel caps. The pixel
# cap stops decompression bombs: a small file that would take gigabytes to open.
IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_MB", "10")) * 1024 * 1024
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_MEGAPIXELS", "40")) * 1_000_000
# An animation (GIF, WebP, PNG) costs its frames times its canvas to decode: at most
# IMAGE_MAX_FRAMES frames and IMAGE_MAX_ANIMATION_MEGAPIXELS across them.
IMAGE_MAX_FRAMES = int(os.environ.get("IMAGE_MAX_FRAMES", "200"))
IMAGE_MAX_ANIMATION_PIXELS = (
    int(os.environ.get("IMAGE_MAX_ANIMATION_MEGAPIXELS", "100")) * 1_000_000
)


def media_storage():
    """The STORAGES["default"] entry: local files unless DJANGO_MEDIA_STORAGE says otherwise.

    `s3` (or django-storages' class path) stores uploads in an S3-compatible bucket, so any
    number of app servers share them; any other class path is used as it is, without options.
    """
    backend = os.environ.get("DJANGO_MEDIA_STORAGE", "").strip()
    if backend in ("", "filesystem"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend not in ("s3", "storages.backends.s3.S3Storage"):
        return {"BACKEND": backend}
    if not os.environ.get("MEDIA_S3_BUCKET"):
        sys.exit("DJANGO_MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET, the bucket's name.")
    options = {
        "bucket_name": os.environ["MEDIA_S3_BUCKET"],
        # Public links by default: pages (and cached copies of them) carry image addresses,
        # and a signed address would stop working in a cached page once it expired.
        "querystring_auth": env_bool("MEDIA_S3_QUERYSTRING_AUTH"),
        "querystring_expire": int(os.environ.get("MEDIA_S3_QUERYSTRING_EXPIRE", "3600")),
        # Signature version 4: the one every AWS region and S3-compatible service accepts
        # (botocore would otherwise sign some addresses with the retired version 2).
        "signature_version": "s3v4",
        # Never overwrite: a second upload of "report.pdf" gets a new name, as on disk.
        "file_overwrite": False,
        # Files read back (report downloads, renditions) spill to a temporary file past this
        # size instead of being held whole in memory.
        "max_memory_size": int(os.environ.get("MEDIA_S3_MAX_MEMORY_MB", "8")) * 1024 * 1024,
    }
    optional = {
        "endpoint_url": "MEDIA_S3_ENDPOINT_URL",  # MinIO, Ceph, R2... unset: AWS
        "region_name": "MEDIA_S3_REGION",
        "access_key": "MEDIA_S3_ACCESS_KEY_ID",  # unset: boto3's own chain (role, AWS_*)
        "secret_key": "MEDIA_S3_SECRET_ACCESS_KEY",
        "custom_domain": "MEDIA_S3_CUSTOM_DOMAIN",  # a CDN in front of the bucket
        "default_acl": "MEDIA_S3_DEFAULT_ACL",  # unset: the bucket's policy decides
        "location": "MEDIA_S3_PREFIX",  # a folder inside the bucket
        "addressing_style": "MEDIA_S3_ADDRESSING_STYLE",  # "path" for most MinIO setups
    }
    options.update(
        {key: os.environ[name] for key, name in optional.items() if os.environ.get(name)}
    )
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); the plain backend
        # when debugging or testing, where no collectstatic has run.
        "BACKEND": os.environ.get(
            "DJANGO_STATIC_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# The shared cache: also where rate-limit counters live, so it must be shared between app
# servers in production (REDIS_URL). Local memory is fine for one process.
# Rate-limit counters have a cache of their own ("ratelimit"): in Redis too, but they fall
# back to this process's memory while Redis is away (ktnsite.ratelimit), so a Redis outage
# never turns an enquiry or a sign-up into a 500.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # A few hundred milliseconds: Redis on the local network answers in one, and a Redis that
    # hangs must cost a reader's request no more than this (then the page cache is skipped).
    _redis_timeout = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.25"))
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

# The page cache (ktnsite.pagecache): how long the server keeps an anonymous reader's page
# (0 turns it off), and how long a browser may keep it. Saving any content empties it at once.
CACHE_MIDDLEWARE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_BROWSER_SECONDS", "60"))
CACHE_MIDDLEWARE_ALIAS = "default"
CACHE_MIDDLEWARE_KEY_PREFIX = ""

# Front caches (Varnish, a CDN) in front of the app servers. Anonymous readers' pages say
# `Cache-Control: public, s-maxage=FRONT_CACHE_SECONDS` (never past the next scheduled
# go-live) and name what they show in Surrogate-Key / xkey; 0 marks no page public. With
# purging configured below, a change is purged at once, so this may be long (a day).
FRONT_CACHE_SECONDS = int(os.environ.get("DJANGO_FRONT_CACHE_SECONDS", "600"))
# Where a change is purged, after its commit, by a background task (publishing.purge).
FRONT_CACHE_PURGERS = []
if env_list("DJANGO_FRONT_CACHE_VARNISH"):
    # Each Varnish's address as the app servers reach it, e.g. http://10.0.0.5:6081
    FRONT_CACHE_PURGERS.append(
        {
            "BACKEND": "publishing.purge.VarnishPurger",
            "OPTIONS": {"urls": env_list("DJANGO_FRONT_CACHE_VARNISH")},
        }
    )
if os.environ.get("DJANGO_FRONT_CACHE_PURGE_URL"):
    # Any cache that purges by key over HTTP: PURGE with the keys in Surrogate-Key.
    FRONT_CACHE_PURGERS.append(
        {
            "BACKEND": "publishing.purge.HTTPPurger",
            "OPTIONS": {
                "url": os.environ["DJANGO_FRONT_CACHE_PURGE_URL"],
                "method": os.environ.get("DJANGO_FRONT_CACHE_PURGE_METHOD", "PURGE"),
                "key_header": os.environ.get(
                    "DJANGO_FRONT_CACHE_PURGE_KEY_HEADER", "Surrogate-Key"
                ),
                "headers": (
                    {"Authorization": os.environ["DJANGO_FRONT_CACHE_PURGE_AUTHORIZATION"]}
                    if os.environ.get("DJANGO_FRONT_CACHE_PURGE_AUTHORIZATION")
                    else {}
                ),
            },
        }
    )
if os.environ.get("CLOUDFLARE_ZONE_ID"):
    FRONT_CACHE_PURGERS.append(
        {
            "BACKEND": "publishing.purge.CloudflarePurger",
            "OPTIONS": {
                "zone_id": os.environ["CLOUDFLARE_ZONE_ID"],
                "api_token": os.environ.get("CLOUDFLARE_API_TOKEN", ""),
                "api_url": os.environ.get(
                    "CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"
                ),
            },
        }
    )
if os.environ.get("CLOUDFRONT_DISTRIBUTION_ID"):
    FRONT_CACHE_PURGERS.append(
        {
            "BACKEND": "publishing.purge.CloudFrontPurger",
            "OPTIONS": {
                "distribution_id": os.environ["CLOUDFRONT_DISTRIBUTION_ID"],
                "endpoint_url": os.environ.get("CLOUDFRONT_ENDPOINT_URL") or None,
            },
        }
    )
# Cloudflare reads a page's keys from Cache-Tag (comma-separated), not Surrogate-Key.
FRONT_CACHE_TAG_HEADER = env_bool(
    "DJANGO_FRONT_CACHE_TAG_HEADER", bool(os.environ.get("CLOUDFLARE_ZONE_ID"))
)
FRONT_CACHE_PURGE_ATTEMPTS = int(os.environ.get("DJANGO_FRONT_CACHE_PURGE_ATTEMPTS", "8"))
FRONT_CACHE_PURGE_TIMEOUT = float(os.environ.get("DJANGO_FRONT_CACHE_PURGE_TIMEOUT", "5"))

# Background work (email delivery, alerts) goes through Django's tasks API (django-tasks), on
# the database queue: a request only records a task, and `manage.py db_worker` (started by
# scripts/run beside runserver; a service of its own in production) runs it. So mail is never
# sent inside a reader's request, and a slow mail server holds only the worker. The test
# suite uses the immediate backend (pyproject.toml), which runs a task at once, in-process;
# `check --deploy` warns if a deployment uses it with a real mail server (ktnsite.checks).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}
# Health probes (ktnsite.health, docs/operations.md "Health checks"): which check failed and
# why is shown only to these addresses or networks, or to `Authorization: Bearer HEALTH_TOKEN`.
HEALTH_DETAIL_ADDRESSES = env_list("HEALTH_DETAIL_ADDRESSES", "127.0.0.1,::1")
HEALTH_TOKEN = os.environ.get("HEALTH_TOKEN", "")
# Readiness fails when more tasks than this wait, or the oldest has waited longer (seconds).
HEALTH_TASK_BACKLOG_MAX = int(os.environ.get("HEALTH_TASK_BACKLOG_MAX", "1000"))
HEALTH_TASK_MAX_AGE_SECONDS = int(os.environ.get("HEALTH_TASK_MAX_AGE_SECONDS", "900"))
# How many processes serve the site (gunicorn reads WEB_CONCURRENCY for its worker count):
# `check --deploy` warns when more than one would each keep a cache of their own.
SERVER_PROCESSES = int(os.environ.get("WEB_CONCURRENCY", "1"))

# Email: printed to the console when debugging, SMTP otherwise (configure below).
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The outbox for all mail (publishing.outbox): enquiries, sign-up emails, alerts, digests.
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
    if os.environ.get(_old) and _new not in os.environ:
        warnings.warn(
            f"{_old} is deprecated and will stop being read: set {_new} instead.",
            FutureWarning,
            stacklevel=1,
        )
OUTBOX_MAX_ATTEMPTS = int(
    os.environ.get("OUTBOX_MAX_ATTEMPTS", os.environ.get("CONTACTS_ENQUIRY_MAX_ATTEMPTS", "10"))
)
OUTBOX_RETRY_SECONDS = int(
    os.environ.get("OUTBOX_RETRY_SECONDS", os.environ.get("CONTACTS_ENQUIRY_RETRY_SECONDS", "60"))
)
OUTBOX_MAX_RETRY_SECONDS = int(os.environ.get("OUTBOX_MAX_RETRY_SECONDS", str(6 * 3600)))
OUTBOX_CLAIM_TIMEOUT_SECONDS = int(os.environ.get("OUTBOX_CLAIM_TIMEOUT_SECONDS", "600"))

# Enquiries to contacts (contacts app). The rate is per client IP, counted in the shared cache.
CONTACTS_ENQUIRY_RATE = os.environ.get("CONTACTS_ENQUIRY_RATE", "5/h")
# Delivered enquiries older than this are deleted by `manage.py purge_enquiries` (0: never).
CONTACTS_ENQUIRY_RETENTION_DAYS = int(os.environ.get("CONTACTS_ENQUIRY_RETENTION_DAYS", "365"))
# The slug of the contact an inactive person's page points to when their topics have no
# other active contact; empty means the page points to the directory.
CONTACTS_GENERAL_ENQUIRIES = os.environ.get("CONTACTS_GENERAL_ENQUIRIES", "")
# The client's address, for every per-address limit (enquiries, sign-ups, login throttling):
# one function, ktnsite.security.client_ip, that django-ratelimit and django-axes both call.
# Behind N proxies that each append to X-Forwarded-For, set DJANGO_TRUSTED_PROXY_COUNT=N; the
# client is then the Nth address from the right. 0 (the default) believes no header at all.
# RATELIMIT_IP_META_KEY (the older setting) still names a one-proxy header such as
# HTTP_X_REAL_IP, with a warning.
_legacy_ip_header = os.environ.get("RATELIMIT_IP_META_KEY", "").strip()
if _legacy_ip_header:
    warnings.warn(
        "RATELIMIT_IP_META_KEY is deprecated and will stop being read: set "
        "DJANGO_CLIENT_IP_HEADER and DJANGO_TRUSTED_PROXY_COUNT=1 instead.",
        FutureWarning,
        stacklevel=1,
    )
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "").strip() or (
    _legacy_ip_header or "HTTP_X_FORWARDED_FOR"
)
CLIENT_IP_PROXY_COUNT = int(
    os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "1" if _legacy_ip_header else "0")
)
RATELIMIT_IP_META_KEY = "ktnsite.security.client_ip"
# Behind a TLS-terminating proxy in production.
if env_bool("DJANGO_SECURE_PROXY_SSL"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
# HTTPS only: off by default so a local run over plain HTTP works. HSTS is hard to take back
# (browsers remember it for its whole max-age), so production turns it on deliberately.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT")
# A load balancer's health check usually speaks plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("DJANGO_REFERRER_POLICY", "strict-origin-when-cross-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = os.environ.get(
    "DJANGO_CROSS_ORIGIN_OPENER_POLICY", "same-origin"
)
X_FRAME_OPTIONS = "DENY"


def _origin(url):
    """The scheme://host of an absolute URL (a CDN or bucket), or None for a local path."""
    parts = urlsplit(url)
    return f"{parts.scheme or 'https'}://{parts.netloc}" if parts.netloc else None


# Content-Security-Policy (django-csp). Readers' pages run only our own script file: no
# inline script or style, no plugins, no framing, forms post only to us. Static files may
# live on a CDN (STATIC_URL); uploaded images on another host (an S3 bucket, a CDN, an
# absolute MEDIA_URL), which ktnsite.security.CSPMiddleware adds to img-src, asking the
# storage where it links them. JSON-LD blocks are data, not script, so they need no nonce
# (tests/browser/test_csp.py proves it in Chromium).
_static_hosts = [o for o in [_origin(STATIC_URL)] if o]
_csp_policy = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *_static_hosts],
        "style-src": ["'self'", *_static_hosts],
        "img-src": ["'self'", "data:", *_static_hosts],
        "font-src": ["'self'", *_static_hosts],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "report-uri": env_list("DJANGO_CSP_REPORT_URI") or None,
    }
}
# Report-only sends the same policy as Content-Security-Policy-Report-Only: browsers then
# report what it would block without blocking it (to try a change on a live site first).
if env_bool("DJANGO_CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp_policy
else:
    CONTENT_SECURITY_POLICY = _csp_policy
# The admin gets these directives in place of the readers' ones, under its own URL prefix
# only (ktnsite.security.CSPMiddleware): django-ckeditor's CKEditor 4 writes inline styles and
# inline script into its toolbar and editing frame, and without 'unsafe-inline' for scripts
# typing never reaches the editor. It needs no 'unsafe-eval'.
CSP_ADMIN_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'", *_static_hosts],
    "style-src": ["'self'", "'unsafe-inline'", *_static_hosts],
    "img-src": ["'self'", "data:", "blob:", *_static_hosts],
}

# Permissions-Policy (django-permissions-policy): the site uses no camera, microphone,
# location, payment or USB, so no page (nor anything injected into one) may ask for them.
# Clipboard and Web Share stay at the browser's default (this origin) for the share panel.
PERMISSIONS_POLICY = {
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# Login throttling (django-axes) for the admin's login form: after LOGIN_FAILURE_LIMIT
# failed attempts for one username from one client address, that pair is refused for
# LOGIN_LOCKOUT_MINUTES with a 429 page. Counting the pair, not the address alone, keeps
# one office behind a shared address from locking everyone out; counting the pair, not the
# username alone, stops a stranger from locking an editor out. Attempts are rows in the
# database (axes' default handler), so every app server sees the same count.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "60")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and an address that fails LOGIN_ADDRESS_FAILURE_LIMIT times across any usernames
# (password spraying) is paused too, for the same time (ktnsite.security).
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ktnsite.security.login_locked_out"
# The client's address: the same function the per-IP rate limits use (see CLIENT_IP_*).
AXES_CLIENT_IP_CALLABLE = "ktnsite.security.client_ip"

# django-ckeditor bundles CKEditor 4, which upstream no longer supports. We keep it only
# as an admin widget: publishing.richtext sanitises every body on save and on render, so
# the warning about the bundled editor is acknowledged here rather than ignored.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]
if not REDIS_URL:
    # django-ratelimit warns that local memory is not shared between processes: true, and
    # acceptable for one local process; every multi-process deployment sets REDIS_URL.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]
# django-ratelimit names only django-redis and memcached as supported; Django's own Redis
# cache (which ktnsite.ratelimit extends) increments atomically too.
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"]
CKEDITOR_CONFIGS = {
    "default": {
        "toolbar": "News",
        "toolbar_News": [
            ["Format"],
            ["Bold", "Italic"],
            ["Link", "InternalLink", "Unlink"],
            ["BulletedList", "NumberedList", "Blockquote"],
            ["Table", "LibraryImage"],
            ["RemoveFormat"],
            ["Source"],
        ],
        "format_tags": "p;h2;h3;h4",
        "height": 360,
        "width": "100%",
        # Keep pasted Word / web markup down to what the sanitiser allows anyway.
        "forcePasteAsPlainText": False,
        "pasteFromWordRemoveFontStyles": True,
        # No spelling service that sends the text elsewhere (scayt, wsc): the browser's own
        # spellcheck underlines mistakes instead (Ctrl + right-click for its suggestions).
        "removePlugins": "exportpdf,scayt,wsc",
        "disableNativeSpellChecker": False,
        "allowedContent": (
            "p h2 h3 h4 strong em b i u blockquote ul ol li br hr sub sup figure figcaption;"
            "a[!href,title];table thead tbody tfoot tr caption;th td[colspan,rowspan,scope];"
            # Images only as library references (publishing.richtext); src is for display.
            "img[!data-image,alt,src](full,half)"
        ),
        "disallowedContent": "*[style]; *[on*]",
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Failed logins and lockouts are warnings; axes' per-start and per-login info lines
        # would fill every cron job's output.
        "axes": {"level": "WARNING"},
    },
}

# Reports (issue 4): the largest upload accepted, and the bounds on reading a file's pages
# and text on upload (done in a child process that is killed on the timeout).
REPORTS_MAX_UPLOAD_BYTES = int(os.environ.get("REPORTS_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
REPORTS_EXTRACT_TIMEOUT = float(os.environ.get("REPORTS_EXTRACT_TIMEOUT", "30"))
REPORTS_EXTRACT_MEMORY_MB = int(os.environ.get("REPORTS_EXTRACT_MEMORY_MB", "768"))
REPORTS_EXTRACT_MAX_PAGES = int(os.environ.get("REPORTS_EXTRACT_MAX_PAGES", "1000"))
REPORTS_EXTRACT_MAX_CHARS = int(os.environ.get("REPORTS_EXTRACT_MAX_CHARS", "1000000"))
# Who "Request an accessible format" names when a report has no contact of its own: the
# slug of the site-wide accessibility contact. Without one (or if they are inactive) the
# link leads to REPORTS_ACCESSIBLE_FORMAT_URL: a contact's page or a mailto: address for
# the team that produces alternative formats.
REPORTS_ACCESSIBLE_FORMAT_CONTACT = os.environ.get("REPORTS_ACCESSIBLE_FORMAT_CONTACT", "")
REPORTS_ACCESSIBLE_FORMAT_URL = os.environ.get("REPORTS_ACCESSIBLE_FORMAT_URL", "/contacts/")

# The mailing list (mailinglist/). Alerts go out for the content types declared with
# `alerts=True` (publishing.registry); the mailing list learns of them through publishing's
# signal and never imports them. Set (comma-separated "app.Model" labels) only to override
# the declarations; unset or empty: the declarations decide.
MAILINGLIST_ALERT_MODELS = env_list("MAILINGLIST_ALERT_MODELS") or None
# An item saved as published with a publish time further back than this (an old article
# imported or edited) is not news: it alerts nobody.
MAILINGLIST_ALERT_MAX_AGE_HOURS = int(os.environ.get("MAILINGLIST_ALERT_MAX_AGE_HOURS", "48"))

# How often a change form with unsaved changes keeps them on the server (publishing.Autosave).
PUBLISHING_AUTOSAVE_SECONDS = int(os.environ.get("PUBLISHING_AUTOSAVE_SECONDS", "30"))
# "Erin is editing this post": an open change form says so every third of this (in the
# shared cache); one not heard from for this long has been closed (publishing.editing).
PUBLISHING_PRESENCE_SECONDS = int(os.environ.get("PUBLISHING_PRESENCE_SECONDS", "90"))
# How long a file chosen in a form that failed validation is kept for the next submit
# (publishing.uploads); older ones are deleted when another is kept.
PUBLISHING_PENDING_UPLOAD_HOURS = int(os.environ.get("PUBLISHING_PENDING_UPLOAD_HOURS", "24"))
MAILINGLIST_CONFIRM_DAYS = int(os.environ.get("MAILINGLIST_CONFIRM_DAYS", "7"))
# django-ratelimit rates ("count/period") for sign-ups, kept in the shared cache.
MAILINGLIST_SIGNUP_RATE_IP = os.environ.get("MAILINGLIST_SIGNUP_RATE_IP", "20/h")
MAILINGLIST_SIGNUP_RATE_ADDRESS = os.environ.get("MAILINGLIST_SIGNUP_RATE_ADDRESS", "3/h")
# ...and per mailbox (the address without its +tag, case-folded) and per recipient domain,
# so +tags or a run of addresses at one employer cannot flood an inbox or a mail server.
# A domain such as gmail.com is shared by many honest readers: keep its rate generous.
MAILINGLIST_SIGNUP_RATE_MAILBOX = os.environ.get("MAILINGLIST_SIGNUP_RATE_MAILBOX", "3/h")
MAILINGLIST_SIGNUP_RATE_DOMAIN = os.environ.get("MAILINGLIST_SIGNUP_RATE_DOMAIN", "50/h")
