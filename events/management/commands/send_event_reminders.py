"""manage.py send_event_reminders: owe everyone with a place a reminder the day before."""

from django.core.management.base import BaseCommand

from events import services
from scheduling.runner import job_recorded


class Command(BaseCommand):
    help = (
        "Queue the day-before reminder for each registration with a place whose event starts "
        "within 24 hours (once each), then the outbox sends them. Run every 5 minutes."
    )

    def handle(self, *args, **options):
        with job_recorded("send_event_reminders") as counts:
            count = counts["reminders"] = services.reminders_send()
        self.stdout.write(f"Queued {count} reminder(s).")
