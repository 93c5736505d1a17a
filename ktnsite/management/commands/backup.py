"""backup: write the database and every media file to one archive with a manifest."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ktnsite.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) holding a consistent dump of the database (pg_dump on "
        "PostgreSQL, SQLite's online backup on SQLite), every file of the media storage "
        "(local or S3) and a manifest of versions, row counts and checksums. Safe while "
        "editors are saving. Restore it with `manage.py restore ARCHIVE`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            help="Where to write it (default: backup-<UTC date and time>.tar.gz here).",
        )

    def handle(self, *args, archive, **options):
        archive = archive or f"backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        started = time.monotonic()
        try:
            backup_write(archive, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wrote {archive} in {time.monotonic() - started:.1f} s.")
