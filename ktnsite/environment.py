"""Every environment variable the site reads: its name, type and default, in one class.

pydantic-settings parses them: a wrong value (`DJANGO_DEBUG=maybe`, `EMAIL_PORT=smtp`) stops
start-up with one line naming the variable, instead of being read as "off" or failing later.
An empty value counts as unset (`EMAIL_HOST_USER=` in an environment file means the default),
lists are comma-separated, and a value starting with `$` is taken as it is (no expansion).
`ktnsite/settings.py` turns these into Django's settings; `deploy/.env.example` lists every
one with its default and meaning, and a test keeps the two the same.

Names follow one convention: `DJANGO_` for Django's own settings and how the site is served
(security, caches, storage, tasks), an app's name for that app's behaviour (`CONTACTS_`,
`MAILINGLIST_`, `OUTBOX_`, `PUBLISHING_`, `REPORTS_`, `IMAGE_`, `LOGIN_`, `HEALTH_`), and the
names the ecosystem already uses for services (`DATABASE_URL`, `REDIS_URL`, `EMAIL_*`,
`WEB_CONCURRENCY`, `CLOUDFLARE_*`, `CLOUDFRONT_*`, `SITE_URL`). Older names still read are
fields too, and settings.py warns when one is set (docs/operations.md, "Deprecated names").
"""

from typing import Annotated, Literal

from pydantic import BeforeValidator, ValidationError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _comma_separated(value):
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


# A list given as "a, b,c": spaces around items and empty items are dropped.
CommaList = Annotated[list[str], NoDecode, BeforeValidator(_comma_separated)]


class Environment(BaseSettings):
    """The variables, grouped as in deploy/.env.example. None: the default depends on others."""

    model_config = SettingsConfigDict(case_sensitive=True, env_ignore_empty=True, extra="ignore")

    # The site
    DJANGO_DEBUG: bool = False
    DJANGO_SECRET_KEY: str = ""
    DJANGO_SECRET_KEY_FALLBACKS: CommaList = []
    DJANGO_ALLOWED_HOSTS: CommaList = ["localhost", "127.0.0.1", "[::1]"]
    DJANGO_CSRF_TRUSTED_ORIGINS: CommaList = []
    SITE_URL: str = "http://127.0.0.1:8000"
    SITE_NAME: str = "Innovate UK Business Connect"
    DJANGO_LOG_LEVEL: str = "INFO"
    WEB_CONCURRENCY: int = 1

    # Health probes
    HEALTH_DETAIL_ADDRESSES: CommaList = ["127.0.0.1", "::1"]
    HEALTH_TOKEN: str = ""
    HEALTH_TASK_BACKLOG_MAX: int = 1000
    HEALTH_TASK_MAX_AGE_SECONDS: int = 900

    # Metrics and logs
    METRICS_ENABLED: bool = True
    PROMETHEUS_MULTIPROC_DIR: str = ""
    LOG_FORMAT: Literal["plain", "json"] = "plain"
    LOG_REQUESTS: bool = True

    # Database
    DATABASE_URL: str | None = None  # unset: an SQLite file beside manage.py
    DATABASE_CONN_MAX_AGE: int = 60
    DATABASE_PREPARED_STATEMENTS: bool = True
    DATABASE_PREPARE_THRESHOLD: int = 5
    SQLITE_BUSY_TIMEOUT: int = 20

    # Cache, tasks
    REDIS_URL: str = ""
    REDIS_TIMEOUT_SECONDS: float = 0.25
    DJANGO_TASKS_BACKEND: str = "django_tasks_db.DatabaseBackend"

    # Static files and media
    STATIC_ROOT: str | None = None  # unset: staticfiles/ beside manage.py
    DJANGO_STATIC_STORAGE: str | None = None  # unset: whitenoise's (the plain one when debugging)
    MEDIA_ROOT: str | None = None  # unset: media/ beside manage.py
    MEDIA_URL: str = "/media/"
    DJANGO_SERVE_MEDIA: bool | None = None  # unset: the same as DJANGO_DEBUG
    DJANGO_MEDIA_STORAGE: str = ""
    MEDIA_S3_BUCKET: str = ""
    MEDIA_S3_ENDPOINT_URL: str = ""
    MEDIA_S3_REGION: str = ""
    MEDIA_S3_ACCESS_KEY_ID: str = ""
    MEDIA_S3_SECRET_ACCESS_KEY: str = ""
    MEDIA_S3_CUSTOM_DOMAIN: str = ""
    MEDIA_S3_DEFAULT_ACL: str = ""
    MEDIA_S3_QUERYSTRING_AUTH: bool = False
    MEDIA_S3_QUERYSTRING_EXPIRE: int = 3600
    MEDIA_S3_PREFIX: str = ""
    MEDIA_S3_ADDRESSING_STYLE: str = ""
    MEDIA_S3_MAX_MEMORY_MB: int = 8
    IMAGE_MAX_MB: int = 10
    IMAGE_MAX_MEGAPIXELS: int = 40
    IMAGE_MAX_FRAMES: int = 200
    IMAGE_MAX_ANIMATION_MEGAPIXELS: int = 100

    # Caches in front
    DJANGO_PAGE_CACHE_SECONDS: int = 600
    DJANGO_PAGE_CACHE_BROWSER_SECONDS: int = 60
    DJANGO_FRONT_CACHE_SECONDS: int = 600
    DJANGO_FRONT_CACHE_VARNISH: CommaList = []
    DJANGO_FRONT_CACHE_PURGE_URL: str = ""
    DJANGO_FRONT_CACHE_PURGE_METHOD: str = "PURGE"
    DJANGO_FRONT_CACHE_PURGE_KEY_HEADER: str = "Surrogate-Key"
    DJANGO_FRONT_CACHE_PURGE_AUTHORIZATION: str = ""
    CLOUDFLARE_ZONE_ID: str = ""
    CLOUDFLARE_API_TOKEN: str = ""
    CLOUDFLARE_API_URL: str = "https://api.cloudflare.com/client/v4"
    DJANGO_FRONT_CACHE_TAG_HEADER: bool | None = None  # unset: on when CLOUDFLARE_ZONE_ID is
    CLOUDFRONT_DISTRIBUTION_ID: str = ""
    CLOUDFRONT_ENDPOINT_URL: str = ""
    DJANGO_FRONT_CACHE_PURGE_ATTEMPTS: int = 8
    DJANGO_FRONT_CACHE_PURGE_TIMEOUT: float = 5

    # Security
    DJANGO_SECURE_PROXY_SSL: bool = False
    DJANGO_SECURE_COOKIES: bool | None = None  # unset: on unless debugging
    DJANGO_SECURE_SSL_REDIRECT: bool = False
    DJANGO_SECURE_HSTS_SECONDS: int = 0
    DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = False
    DJANGO_SECURE_HSTS_PRELOAD: bool = False
    DJANGO_REFERRER_POLICY: str = "strict-origin-when-cross-origin"
    DJANGO_CROSS_ORIGIN_OPENER_POLICY: str = "same-origin"
    DJANGO_CSP_REPORT_ONLY: bool = False
    DJANGO_CSP_REPORT_URI: CommaList = []
    DJANGO_TRUSTED_PROXY_COUNT: int | None = None  # unset: 0, or 1 with RATELIMIT_IP_META_KEY
    DJANGO_CLIENT_IP_HEADER: str | None = None  # unset: HTTP_X_FORWARDED_FOR (or the older name)
    RATELIMIT_IP_META_KEY: str = ""  # deprecated: DJANGO_CLIENT_IP_HEADER
    LOGIN_FAILURE_LIMIT: int = 5
    LOGIN_LOCKOUT_MINUTES: int = 60
    LOGIN_ADDRESS_FAILURE_LIMIT: int = 20

    # Email
    DJANGO_EMAIL_BACKEND: str | None = None  # unset: console when debugging, SMTP otherwise
    EMAIL_HOST: str = "localhost"
    EMAIL_PORT: int = 25
    EMAIL_HOST_USER: str = ""
    EMAIL_HOST_PASSWORD: str = ""
    EMAIL_USE_TLS: bool = False
    EMAIL_USE_SSL: bool = False
    EMAIL_TIMEOUT: int = 10
    DEFAULT_FROM_EMAIL: str = "no-reply@localhost"
    OUTBOX_MAX_ATTEMPTS: int | None = None  # unset: 10 (or the older name's value)
    OUTBOX_RETRY_SECONDS: int | None = None  # unset: 60 (or the older name's value)
    OUTBOX_MAX_RETRY_SECONDS: int = 6 * 3600
    OUTBOX_CLAIM_TIMEOUT_SECONDS: int = 600
    CONTACTS_ENQUIRY_MAX_ATTEMPTS: int | None = None  # deprecated: OUTBOX_MAX_ATTEMPTS
    CONTACTS_ENQUIRY_RETRY_SECONDS: int | None = None  # deprecated: OUTBOX_RETRY_SECONDS

    # Contacts
    CONTACTS_ENQUIRY_RATE: str = "5/h"
    CONTACTS_ENQUIRY_RETENTION_DAYS: int = 365
    CONTACTS_GENERAL_ENQUIRIES: str = ""

    # Reports
    REPORTS_MAX_UPLOAD_BYTES: int = 50 * 1024 * 1024
    REPORTS_EXTRACT_TIMEOUT: float = 30
    REPORTS_EXTRACT_MEMORY_MB: int = 768
    REPORTS_EXTRACT_MAX_PAGES: int = 1000
    REPORTS_EXTRACT_MAX_CHARS: int = 1_000_000
    REPORTS_ACCESSIBLE_FORMAT_CONTACT: str = ""
    REPORTS_ACCESSIBLE_FORMAT_URL: str = "/contacts/"

    # Mailing list
    MAILINGLIST_ALERT_MODELS: CommaList = []  # unset: the content types declared to alert
    MAILINGLIST_ALERT_MAX_AGE_HOURS: int = 48
    MAILINGLIST_CONFIRM_DAYS: int = 7
    MAILINGLIST_SIGNUP_RATE_IP: str = "20/h"
    MAILINGLIST_SIGNUP_RATE_ADDRESS: str = "3/h"
    MAILINGLIST_SIGNUP_RATE_MAILBOX: str = "3/h"
    MAILINGLIST_SIGNUP_RATE_DOMAIN: str = "50/h"

    # Events
    EVENTS_REGISTRATION_RETENTION_DAYS: int = 90

    # Review
    REVIEW_REQUIRED: CommaList = []  # model labels ("news.post"); empty: no review required

    # Publishing
    PUBLISHING_AUTOSAVE_SECONDS: int = 30
    PUBLISHING_PRESENCE_SECONDS: int = 90
    PUBLISHING_PENDING_UPLOAD_HOURS: int = 24


def read_environment():
    """The environment as read now, or an exit with one line per wrong value."""
    try:
        return Environment()
    except ValidationError as error:
        lines = [
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']} "
            f"(got {problem['input']!r})"
            for problem in error.errors()
        ]
        raise SystemExit("\n".join(lines)) from None
