"""manage.py backup and restore, for real: a demo site into a fresh database and storage.

Each site is its own `manage.py` processes with its own database (SQLite file, or a
PostgreSQL database made for the test) and media (a folder, or a bucket of moto's S3
emulator), so nothing of the test database is shared.
"""

import gzip
import io
import json
import subprocess
import sys
import tarfile
import time

import pytest
from django.conf import settings

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


# A writer saving a topic after another for as long as the file `stop` is missing: an editor
# busy while the backup runs.
WRITER = """
import os, time
from topics.models import Topic
i = 0
open(os.environ["WRITER_STARTED"], "w").close()
while not os.path.exists(os.environ["WRITER_STOP"]):
    i += 1
    Topic.objects.create(name=f"Busy {i}", slug=f"busy-{i}")
    time.sleep(0.01)
print("WROTE", i)
"""


@pytest.mark.parametrize("kind", KINDS)
def test_a_backup_taken_while_an_editor_saves_restores_to_one_consistent_moment(kind, tmp_path):
    with fresh_database(kind, tmp_path) as source, fresh_database(kind, tmp_path) as target:
        env = site_env(source, tmp_path / "media")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo")
        started, stop = tmp_path / "started", tmp_path / "stop"
        writer_env = {**env, "WRITER_STARTED": str(started), "WRITER_STOP": str(stop)}
        writer = subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "shell", "-c", WRITER],
            env=writer_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while not started.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1)  # some topics saved before the backup starts
            archive = tmp_path / "busy.tar.gz"
            manage(env, "backup", str(archive))
        finally:
            stop.touch()
            out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        written = int(out.split("WROTE")[-1])
        with tarfile.open(archive) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
        in_backup = manifest["database"]["tables"]["topics_topic"]
        assert 0 < in_backup - 3 < written  # the demo's 3 topics and some, not all, busy ones
        fresh = site_env(target, tmp_path / "restored-media")
        # The restore checks every table's count against the manifest: a dump of another
        # moment than its counts fails here.
        assert "every table's row count matches" in manage(fresh, "restore", str(archive)).stdout


def test_media_on_s3_is_backed_up_and_restored_into_an_emptied_bucket(tmp_path):
    moto_server = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        s3 = boto3.client(
            "s3", endpoint_url=endpoint, region_name="us-east-1",
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )  # fmt: skip
        s3.create_bucket(Bucket="ktnsite-media")
        storage = {
            "DJANGO_MEDIA_STORAGE": "s3",
            "MEDIA_S3_BUCKET": "ktnsite-media",
            "MEDIA_S3_ENDPOINT_URL": endpoint,
            "MEDIA_S3_REGION": "us-east-1",
            "MEDIA_S3_ADDRESSING_STYLE": "path",
            "MEDIA_S3_ACCESS_KEY_ID": "testing",
            "MEDIA_S3_SECRET_ACCESS_KEY": "testing",
        }
        with fresh_database("sqlite", tmp_path) as source:
            env = site_env(source, tmp_path / "unused", **storage)
            archive = _demo_archive(env, tmp_path)
            before = snapshot(env)
        keys = [item["Key"] for item in s3.list_objects_v2(Bucket="ktnsite-media")["Contents"]]
        assert len(keys) == len(before["files"]) >= 5
        for key in keys:  # a new, empty bucket of the same name
            s3.delete_object(Bucket="ktnsite-media", Key=key)
        with fresh_database("sqlite", tmp_path) as target:
            fresh = site_env(target, tmp_path / "unused", **storage)
            manage(fresh, "restore", str(archive))
            after = snapshot(fresh)
        assert after["files"] == before["files"]
        assert after["tables"] == before["tables"]
        assert after["page"] == before["page"] and after["status"] == 200
    finally:
        server.stop()
