"""One archive of the whole site (database and media) with a manifest, and its restore.

The archive is a gzipped tar: `database/...` (pg_dump's custom format, or an SQLite file made
with SQLite's online backup), `media/<name>` for every file of the configured storage (local
or S3), and `manifest.json` last, naming the versions, every table's row count and every
member's size and SHA-256. A restore reads the whole archive and checks it against the
manifest before it touches the database or the storage.
"""

import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from importlib.metadata import PackageNotFoundError, version

import django
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "ktnsite-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Something an operator must fix; the message says what (nothing was changed)."""


# --- small helpers ------------------------------------------------------------------------


def _package_version(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """A file wrapper that hashes what is read through it (tarfile reads the member once)."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def _add_member(archive, name, fileobj, size):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    reader = _HashingReader(fileobj)
    archive.addfile(info, reader)
    return {"size": size, "sha256": reader.digest.hexdigest()}


def _storage_files(storage, folder=""):
    """Every file name in the storage, recursively (local folders and S3 prefixes alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names.extend(_storage_files(storage, f"{folder}{sub}/"))
    return sorted(names)


def _db_settings():
    return connection.settings_dict


def _pg_env():
    db = _db_settings()
    env = {**os.environ}
    for key, value in {
        "PGHOST": db.get("HOST"),
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode"),
    }.items():
        if value:
            env[key] = value
    return env


def _run(command, **kwargs):
    try:
        # Our own arguments: pg_dump/pg_restore and the configured database, never user input.
        return subprocess.run(command, capture_output=True, text=True, check=True, **kwargs)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL's client tools).") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()[-2000:]}") from exc


def table_counts(cursor, tables):
    qn = connection.ops.quote_name
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def _migrations():
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def database_server_version():
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return f"SQLite {sqlite3.sqlite_version}"


# --- backup -------------------------------------------------------------------------------


def _dump_postgresql(path):
    """pg_dump of the snapshot this transaction sees, and every table's rows in that snapshot.

    The counts and the dump are of one moment, however many editors save meanwhile."""
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
            + [f"--snapshot={snapshot}", f"--file={path}"],
            env=_pg_env(),
        )
        counts = table_counts(cursor, connection.introspection.table_names(cursor))
        migrations = _migrations()
    client = _run(["pg_dump", "--version"]).stdout.strip()
    return counts, migrations, client


def _dump_sqlite(path):
    """SQLite's online backup API: a consistent copy while others read and write."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    copy = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        qn = connection.ops.quote_name
        counts = {
            table: copy.execute(f"SELECT COUNT(*) FROM {qn(table)}").fetchone()[0]  # noqa: S608
            for table in sorted(tables)
        }
        migrations = sorted(
            f"{app}.{name}" for app, name in copy.execute("SELECT app, name FROM django_migrations")
        )
    finally:
        copy.close()
    return counts, migrations, None


def backup_write(path, *, storage=None, log=print):
    """Write the whole site to `path` (a .tar.gz); returns the manifest."""
    storage = storage or default_storage
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    started = timezone.now()
    partial = f"{path}.part"
    with tempfile.TemporaryDirectory(prefix="ktnsite-backup-") as work:
        if vendor == "postgresql":
            dump, member = os.path.join(work, "database.dump"), "database/database.dump"
            counts, migrations, client = _dump_postgresql(dump)
        else:
            dump, member = os.path.join(work, "db.sqlite3"), "database/db.sqlite3"
            counts, migrations, client = _dump_sqlite(dump)
        log(f"Database: {len(counts)} tables, {sum(counts.values())} rows.")
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": started.isoformat(),
            "versions": {
                "ktnsite": _package_version("ktnsite"),
                "django": django.get_version(),
                "python": platform.python_version(),
                "database": database_server_version(),
                "dump_tool": client,
            },
            "database": {
                "vendor": vendor,
                "member": member,
                "tables": counts,
                "migrations": migrations,
            },
            "media": {"storage": type(storage).__name__, "files": {}},
            "members": {},
        }
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            with open(dump, "rb") as handle:
                manifest["members"][member] = _add_member(
                    archive, member, handle, os.path.getsize(dump)
                )
            for name in _storage_files(storage):
                try:
                    size = storage.size(name)
                    handle = storage.open(name, "rb")
                except FileNotFoundError:
                    continue  # deleted since it was listed; the database snapshot is older
                with handle:
                    entry = _add_member(archive, f"media/{name}", handle, size)
                manifest["members"][f"media/{name}"] = entry
                manifest["media"]["files"][name] = entry
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            _add_member(archive, MANIFEST, io.BytesIO(data), len(data))
    os.replace(partial, path)
    log(f"Media: {len(manifest['media']['files'])} files.")
    return manifest


# --- restore ------------------------------------------------------------------------------


def archive_verify(path):
    """Read the whole archive and check every member against the manifest; the manifest.

    Raises BackupError naming what is wrong: a truncated or damaged file, a missing or
    unreadable manifest, a member missing, added, or whose size or checksum differs."""
    if not os.path.isfile(path):
        raise BackupError(f"{path}: no such file.")
    seen = {}
    manifest = None
    try:
        with tarfile.open(path, "r:gz") as archive:
            for info in archive:
                if not info.isfile():
                    raise BackupError(
                        f"{info.name}: not a regular file; this is no ktnsite backup."
                    )
                handle = archive.extractfile(info)
                if info.name == MANIFEST:
                    manifest = handle.read()
                    continue
                digest = hashlib.sha256()
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                seen[info.name] = {"size": info.size, "sha256": digest.hexdigest()}
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(
            f"{path} is truncated or damaged ({type(exc).__name__}: {exc}); nothing was restored."
        ) from exc
    if manifest is None:
        raise BackupError(f"{path} has no manifest: it is truncated or not a ktnsite backup.")
    try:
        manifest = json.loads(manifest)
        if manifest.get("format") != FORMAT:
            raise ValueError("not a ktnsite backup")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"format version {manifest.get('format_version')} is not known")
        expected = manifest["members"]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"{path}: the manifest cannot be used ({exc}).") from exc
    problems = []
    for name in sorted(set(expected) - set(seen)):
        problems.append(f"missing: {name}")
    for name in sorted(set(seen) - set(expected)):
        problems.append(f"not in the manifest: {name}")
    for name in sorted(set(seen) & set(expected)):
        if seen[name] != expected[name]:
            problems.append(f"changed since the backup (size or checksum): {name}")
    if manifest["database"]["member"] not in expected:
        problems.append("the manifest names no database")
    if problems:
        shown = "; ".join(problems[:10]) + (
            f"; and {len(problems) - 10} more" if problems[10:] else ""
        )
        raise BackupError(f"{path} does not match its manifest: {shown}. Nothing was restored.")
    return manifest


def database_content():
    """(tables, rows) of the current database: (0, 0) when it is empty."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return len(tables), sum(table_counts(cursor, tables).values())


def _restore_postgresql(dump):
    with connection.cursor() as cursor:
        # Only with --force: the database is emptied to what a new one holds.
        if connection.introspection.table_names(cursor):
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()
    _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        + [f"--dbname={_db_settings()['NAME']}", dump],
        env=_pg_env(),
    )


def _restore_sqlite(dump):
    # The backup API in reverse: it replaces every page of the open database (WAL included),
    # which copying the file over it would not.
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def restore_read(path, *, force=False, storage=None, log=print):
    """Restore the site from `path` into this database and storage; returns the manifest.

    Checks first, changes after: the archive against its manifest, that the database engine
    matches, that this release knows every migration the backup has, and (without `force`)
    that the database and the storage are empty."""
    storage = storage or default_storage
    manifest = archive_verify(path)
    log(f"Archive verified: {len(manifest['members'])} members match the manifest.")
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup holds a {vendor} database; this site uses {connection.vendor}. "
            "Restore it into the same kind of database."
        )
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest["database"]["migrations"]) - known)
    if unknown:
        raise BackupError(
            f"The backup was made by a newer release (migrations unknown here: "
            f"{', '.join(unknown[:5])}). Install that release first."
        )
    tables, rows = database_content()
    existing = _storage_files(storage)
    if not force and (tables or existing):
        held = []
        if tables:
            held.append(f"the database has {tables} tables ({rows} rows)")
        if existing:
            held.append(f"the media storage has {len(existing)} files")
        raise BackupError(
            f"Refusing to overwrite: {' and '.join(held)}. Restore into an empty database and "
            "storage, or pass --force to replace them."
        )
    with tempfile.TemporaryDirectory(prefix="ktnsite-restore-") as work:
        dump = os.path.join(work, "database")
        with tarfile.open(path, "r:gz") as archive:
            for info in archive:
                handle = archive.extractfile(info)
                if info.name == manifest["database"]["member"]:
                    with open(dump, "wb") as out:
                        shutil.copyfileobj(handle, out, CHUNK)
                    if _sha256_file(dump) != manifest["members"][info.name]["sha256"]:
                        raise BackupError("The archive changed while it was being restored.")
                    if vendor == "postgresql":
                        _restore_postgresql(dump)
                    else:
                        _restore_sqlite(dump)
                    log("Database restored.")
                elif info.name.startswith("media/"):
                    name = info.name.removeprefix("media/")
                    if storage.exists(name):
                        storage.delete(name)
                    saved = storage.save(name, File(handle, name=name))
                    if saved != name:
                        raise BackupError(f"The storage saved {name} as {saved}.")
    with connection.cursor() as cursor:
        counts = table_counts(cursor, manifest["database"]["tables"])
    differ = [t for t, n in manifest["database"]["tables"].items() if counts.get(t) != n]
    if differ:
        raise BackupError(f"After the restore these tables' row counts differ: {differ}.")
    log(f"Media: {len(manifest['media']['files'])} files restored.")
    return manifest
