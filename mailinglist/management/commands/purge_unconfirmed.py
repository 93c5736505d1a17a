"""manage.py purge_unconfirmed: forget sign-ups that were never confirmed."""

from django.conf import settings
from django.core.management.base import BaseCommand

from mailinglist import services
from scheduling.runner import job_recorded


class Command(BaseCommand):
    help = (
        "Delete pending sign-ups older than the confirmation link's lifetime "
        "(MAILINGLIST_CONFIRM_DAYS). Run daily."
    )

    def handle(self, *args, **options):
        with job_recorded("purge_unconfirmed") as counts:
            count = counts["deleted"] = services.subscribers_purge_unconfirmed()
        self.stdout.write(
            f"Purged {count} sign-up(s) unconfirmed after {settings.MAILINGLIST_CONFIRM_DAYS} days."
        )
