"""Settings of the Wagtail peer: the `wagtail start` template's production setup, for benchmarks.

One module is enough: the peer runs only as the benchmark runs it (DEBUG off, PostgreSQL,
the template's middleware unchanged, no cache middleware and no page cache).
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROJECT_DIR = Path(__file__).resolve().parent
BASE_DIR = PROJECT_DIR.parent

# Bench-only: the peer serves nothing but loopback benchmarks, so the key guards nothing.
SECRET_KEY = "peer-benchmark-not-secret-5c1f0e7b2a9d4c6e8f1a3b5d7e9f0a2c4e6b8d0f"  # noqa: S105
DEBUG = False
# The benchmark reaches it as 127.0.0.1:8222; any host keeps other loopback names working.
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "home",
    "core",
    "news",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

# The project template's list, unchanged: what a Wagtail site does for every request.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "peersite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "peersite.wsgi.application"


def database_from_url(url):
    """A DATABASES entry from postgres://user:password@host:port/name.

    Parsed here rather than with dj-database-url so the peer needs only what Wagtail,
    psycopg2 and gunicorn bring.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"PEER_DATABASE_URL must be a postgres:// URL, not {url!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # Persistent connections, as ktnsite's own benchmark server keeps them.
        "CONN_MAX_AGE": 60,
    }


DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/peer_wagtail"
DATABASES = {
    "default": database_from_url(os.environ.get("PEER_DATABASE_URL", DEFAULT_DATABASE_URL))
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dates then read as ktnsite's do (14/10/2021, London time).
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [PROJECT_DIR / "static"]
# Build output, git-ignored: collectstatic writes here and the seed's files go to media.
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The template's production choice: hashed names, looked up in the manifest per {% static %}.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
}

# No CACHES setting: Django's default local-memory cache, which Wagtail uses for renditions.

# The template's value: complex page models can exceed Django's 1000 fields in the editor.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Innovate UK Business Connect"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8222"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# A custom document model carrying the report's page count and accessible-format contact.
WAGTAILDOCS_DOCUMENT_MODEL = "core.ReportDocument"
