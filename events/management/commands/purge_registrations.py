"""manage.py purge_registrations: delete registrations a set number of days after their event."""

from django.conf import settings
from django.core.management.base import BaseCommand

from events import services
from scheduling.runner import job_recorded


class Command(BaseCommand):
    help = (
        "Delete the registrations of events that ended more than "
        "EVENTS_REGISTRATION_RETENTION_DAYS ago (default 90). Run daily."
    )

    def handle(self, *args, **options):
        with job_recorded("purge_registrations") as counts:
            count = counts["deleted"] = services.registrations_purge()
        self.stdout.write(
            f"Deleted {count} registration(s) of events that ended more than "
            f"{settings.EVENTS_REGISTRATION_RETENTION_DAYS} days ago."
        )
