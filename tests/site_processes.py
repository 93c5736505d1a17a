"""A second site run by real `manage.py` processes: its own database (a fresh SQLite file, or
a PostgreSQL database made for the test and dropped after) and its own media folder."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

KINDS = ["sqlite", "postgres"]


def site_env(database_url, media_root, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT"}
    }
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        DJANGO_SECRET_KEY="site-process-test",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        **extra,
    )
    return env


def manage(env, *args, check=True, timeout=600):
    """Run manage.py with this environment; the completed process (text output)."""
    result = subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _admin_connection(base_url):
    import psycopg

    parts = urlsplit(base_url)
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


@contextmanager
def fresh_database(kind, tmp_path):
    """An empty database of this kind: its URL. PostgreSQL needs DATABASE_URL to name a
    server (the database made is dropped after); otherwise that case is skipped."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / f'site-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        pytest.skip("PostgreSQL: run with DATABASE_URL naming a PostgreSQL server")
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/')}_site_{uuid.uuid4().hex[:8]}"
    with _admin_connection(base) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with _admin_connection(base) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
