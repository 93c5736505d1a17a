"""A throwaway Django for benchmark scripts: a temporary SQLite database and media folder."""

import os
import sys
import tempfile
import warnings
from pathlib import Path


def django_sandbox(name, **environ):
    """Point Django at a fresh folder (returned; the caller removes it) and set it up.

    `environ` adds or overrides settings' environment variables for this benchmark.
    """
    work = tempfile.mkdtemp(prefix=f"bench-{name}-")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ktnsite.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{work}/bench.sqlite3",
            "MEDIA_ROOT": f"{work}/media",
            "DJANGO_SERVE_MEDIA": "1",
            "DJANGO_PAGE_CACHE_SECONDS": "0",
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "DJANGO_STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            **environ,
        }
    )
    warnings.filterwarnings("ignore", "No directory at")
    import django

    django.setup()
    return work
