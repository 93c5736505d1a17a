"""restore: rebuild the database and the media storage from a `manage.py backup` archive."""

import time

from django.core.management.base import BaseCommand, CommandError

from caching.pagecache import page_cache_invalidate
from ktnsite.backup import BackupError, restore_read


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive into an empty database and media storage. The "
        "whole archive is checked against its manifest first: a truncated or altered archive "
        "stops before anything is touched. A database or storage that holds anything is "
        "left alone unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that has tables (every table is dropped) and media "
            "files of the same names.",
        )

    def handle(self, *args, archive, force, **options):
        started = time.monotonic()
        try:
            manifest = restore_read(archive, force=force, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Pages cached before the restore must not be served as if they were its content.
        page_cache_invalidate()
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} in "
            f"{time.monotonic() - started:.1f} s; every table's row count matches. If this "
            "release is newer than the backup's, run `manage.py migrate` now."
        )
