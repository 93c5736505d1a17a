"""manage.py backup and restore, for real: a demo site into a fresh database and storage.

Each site is its own `manage.py` processes with its own database (SQLite file, or a
PostgreSQL database made for the test) and media (a folder, or a bucket of moto's S3
emulator), so nothing of the test database is shared.
"""

import gzip
import io
import json
import tarfile

import pytest

from tests.site_processes import KINDS, fresh_database, manage, site_env

# Prints every table's row count and a digest of its rows, every media file's checksum and
# the seed article as a reader gets it.
SNAPSHOT = """
import hashlib, json
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from ktnsite.backup import _storage_files
from ktnsite.demo.content import SEED_POST_SLUG

tables = {}
with connection.cursor() as cursor:
    for table in connection.introspection.table_names(cursor):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = sorted(repr(row) for row in cursor.fetchall())
        tables[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
files = {}
for name in _storage_files(default_storage):
    with default_storage.open(name, "rb") as handle:
        files[name] = hashlib.sha256(handle.read()).hexdigest()
page = Client().get(f"/news/{SEED_POST_SLUG}/", HTTP_HOST="127.0.0.1")
print("SNAPSHOT " + json.dumps({
    "tables": tables, "files": files, "status": page.status_code,
    "page": hashlib.sha256(page.content).hexdigest(),
}))
"""


def snapshot(env):
    out = manage(env, "shell", "-c", SNAPSHOT).stdout
    line = next(line for line in out.splitlines() if line.startswith("SNAPSHOT "))
    return json.loads(line.removeprefix("SNAPSHOT "))


def _demo_archive(env, tmp_path):
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    archive = tmp_path / "site.tar.gz"
    out = manage(env, "backup", str(archive)).stdout
    assert f"Wrote {archive}" in out
    return archive


@pytest.mark.parametrize("kind", KINDS)
def test_a_demo_site_restored_into_a_fresh_database_and_media_folder_is_the_same(kind, tmp_path):
    with fresh_database(kind, tmp_path) as source, fresh_database(kind, tmp_path) as target:
        env = site_env(source, tmp_path / "media")
        archive = _demo_archive(env, tmp_path)
        before = snapshot(env)
        assert before["status"] == 200 and len(before["files"]) >= 5
        assert before["tables"]["news_post"][0] > 10

        fresh = site_env(target, tmp_path / "restored-media")
        out = manage(fresh, "restore", str(archive)).stdout
        assert "every table's row count matches" in out
        after = snapshot(fresh)
        assert after["tables"] == before["tables"]  # every row of every table
        assert after["files"] == before["files"]  # every media file, byte for byte
        assert after["page"] == before["page"] and after["status"] == 200  # the seed article

        # Restoring again would overwrite content: refused unless told.
        again = manage(fresh, "restore", str(archive), check=False)
        assert again.returncode == 1
        assert "Refusing to overwrite: the database has" in again.stderr
        assert "pass --force" in again.stderr
        forced = manage(fresh, "restore", "--force", str(archive))
        assert "every table's row count matches" in forced.stdout
        assert snapshot(fresh)["tables"] == before["tables"]


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("demo-backup")
    with fresh_database("sqlite", tmp_path) as url:
        yield _demo_archive(site_env(url, tmp_path / "media"), tmp_path)


def _refused(archive, tmp_path):
    """Restore into a fresh site; the command's stderr. Nothing may have been touched."""
    database = tmp_path / "target.sqlite3"
    env = site_env(f"sqlite:///{database}", tmp_path / "target-media")
    result = manage(env, "restore", str(archive), check=False)
    assert result.returncode == 1
    assert not (tmp_path / "target-media").exists()
    assert not database.exists() or database.stat().st_size == 0
    return result.stderr


def test_a_truncated_archive_is_refused_before_anything_is_touched(demo_archive, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    data = demo_archive.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    assert "is truncated or damaged" in _refused(cut, tmp_path)


def test_an_archive_cut_before_its_manifest_is_refused(demo_archive, tmp_path):
    # A tar that ends cleanly but lacks the manifest (written last): cut at a member boundary.
    short = tmp_path / "short.tar.gz"
    with tarfile.open(demo_archive) as source, tarfile.open(short, "w:gz") as out:
        for info in source:
            if info.name != "manifest.json":
                out.addfile(info, source.extractfile(info))
    assert "has no manifest: it is truncated" in _refused(short, tmp_path)


def test_an_archive_with_a_changed_file_is_refused_naming_it(demo_archive, tmp_path):
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(demo_archive) as source, tarfile.open(tampered, "w:gz") as out:
        for info in source:
            data = source.extractfile(info).read()
            if info.name.endswith("trustworthy-ai-in-practice.pdf"):
                data = data.replace(b"Trustworthy", b"Untrustable")
                info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    message = _refused(tampered, tmp_path)
    assert "does not match its manifest" in message
    assert "trustworthy-ai-in-practice.pdf" in message


def test_something_that_is_not_a_backup_is_refused_with_a_clear_message(tmp_path):
    other = tmp_path / "photos.tar.gz"
    other.write_bytes(gzip.compress(b"not a tar at all" * 100))
    assert "is truncated or damaged" in _refused(other, tmp_path)
    assert "no such file" in _refused(tmp_path / "missing.tar.gz", tmp_path)
