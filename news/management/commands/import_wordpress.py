"""import_wordpress: bring posts, topics, images, reports and old addresses over from WordPress."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from news.wordpress import FETCH_MAX_BYTES, WordPressImport
from news.wordpress.wxr import WXRError


def _plain(text):
    return text


class Progress:
    """A one-line progress bar on a terminal, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.shown = 0.0

    def __call__(self, done, total):
        now = time.monotonic()
        if done < total and now - self.shown < 0.1:
            return
        self.shown = now
        filled = self.WIDTH * done // total if total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        # Plain: a command's stderr is styled as an error (red) on a terminal.
        self.stream.write(f"\r[{bar}] {done}/{total} posts", style_func=_plain, ending="")
        if done >= total:
            self.stream.write("", style_func=_plain)
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0-1.2): posts, their categories and tags as topics, "
        "featured and body images and linked documents (as reports) from --media, and 301 "
        "redirects from the old addresses. Safe to run again: items are matched by WordPress id."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WordPress export file (Tools → Export).")
        parser.add_argument(
            "--media",
            required=True,
            help="A copy of the old site's wp-content/uploads folder.",
        )
        parser.add_argument(
            "--fetch-from",
            action="append",
            default=[],
            metavar="HOST",
            help="Download files missing from --media from the old site's host (repeatable; "
            "a WordPress.com blog's files host is included). Only from these hosts, after "
            "redirects too; saved into --media, so a second run fetches only what is missing.",
        )
        parser.add_argument(
            "--fetch-max-mb",
            type=int,
            default=FETCH_MAX_BYTES // 1048576,
            help="The most --fetch-from downloads in one run, in MB (default %(default)s).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do everything, then roll it back: prints the same report, changes nothing.",
        )
        parser.add_argument(
            "--status",
            choices=["keep", "draft"],
            default="keep",
            help="keep: published, scheduled and draft as in WordPress (default); "
            "draft: import every post as a draft, to review before publishing.",
        )

    def handle(self, *args, export, media, dry_run, status, fetch_from, fetch_max_mb, **options):
        if not Path(export).is_file():
            raise CommandError(f"No such export file: {export}")
        if not Path(media).is_dir():
            raise CommandError(f"No such folder for --media: {media}")
        progress = Progress(self.stderr) if self.stderr.isatty() else None
        if fetch_max_mb < 1:
            raise CommandError("--fetch-max-mb must be at least 1.")
        run = WordPressImport(
            export=export,
            media_dir=media,
            dry_run=dry_run,
            status=status,
            progress=progress,
            fetch_from=fetch_from,
            fetch_max_bytes=fetch_max_mb * 1048576,
        )
        try:
            report = run.run()
        except WXRError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
