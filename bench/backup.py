"""Times `manage.py backup` and `restore` and measures the archive, on SQLite and PostgreSQL.

Each site is built in a fresh database (an SQLite file, and a PostgreSQL database made and
dropped here) and media folder: the demo content, plus `--posts`/`--reports` generated ones.
Usage: .venv/bin/python bench/backup.py [--pg postgres://postgres@127.0.0.1:5432/h_ops2]
       [--posts 100000 --reports 1000]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def manage(env, *args):
    """Wall-clock seconds of the whole command, and the seconds it reports for its own work."""
    started = time.monotonic()
    out = subprocess.run(  # noqa: S603 - our own arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    reported = re.search(r" in ([0-9.]+) s", out)
    return time.monotonic() - started, float(reported.group(1)) if reported else None


def env_for(url, media):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT"}}
    env.update(DATABASE_URL=url, MEDIA_ROOT=str(media), DJANGO_SECRET_KEY="bench")  # noqa: S106 - a throwaway site
    return env


def pg_database(base):
    import psycopg

    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/')}_bench_{uuid.uuid4().hex[:6]}"
    admin = psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username,
        password=parts.password, dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f'CREATE DATABASE "{name}"')
    return admin, name, urlunsplit(parts._replace(path=f"/{name}"))


def measure(kind, source, target, work, args):
    src = env_for(source, work / f"{kind}-media")
    manage(src, "migrate", "--noinput", "-v0")
    manage(src, "load_demo")
    if args.posts or args.reports:
        manage(src, "generate_content", "--posts", str(args.posts), "--reports", str(args.reports))
    archive = work / f"{kind}.tar.gz"
    backup = manage(src, "backup", str(archive))
    dst = env_for(target, work / f"{kind}-restored")
    restore = manage(dst, "restore", str(archive))
    size = archive.stat().st_size
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    tables = manifest["database"]["tables"]
    database = manifest["members"][manifest["database"]["member"]]["size"]
    print(
        f"| {kind} | {tables['news_post']:,} | {tables['reports_report']:,} | "
        f"{sum(tables.values()):,} | {len(manifest['media']['files']):,} | "
        f"{database / 2**20:,.1f} MiB | {backup[1]:.1f} s ({backup[0]:.1f} s) | "
        f"{restore[1]:.1f} s ({restore[0]:.1f} s) | {size / 2**20:,.1f} MiB |",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pg", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--posts", type=int, default=0)
    parser.add_argument("--reports", type=int, default=0)
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(
        "| database | posts | reports | rows | media files | dump | backup (whole command) "
        "| restore (whole command) | archive |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.skip_sqlite:
            measure(
                "SQLite", f"sqlite:///{work}/a.sqlite3", f"sqlite:///{work}/b.sqlite3", work, args
            )
        if args.pg.startswith(("postgres://", "postgresql://")):
            made = [pg_database(args.pg), pg_database(args.pg)]
            try:
                measure("PostgreSQL", made[0][2], made[1][2], work, args)
            finally:
                for admin, name, _ in made:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    admin.close()


if __name__ == "__main__":
    main()
