"""purge_enquiries: delete delivered enquiries past the retention period (personal data)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from contacts.services import enquiries_purge_old
from scheduling.runner import job_recorded


class Command(BaseCommand):
    help = (
        "Delete enquiries delivered more than CONTACTS_ENQUIRY_RETENTION_DAYS ago. Pending and "
        "failed enquiries are never deleted. Run daily."
    )

    def handle(self, *args, **options):
        with job_recorded("purge_enquiries") as counts:
            deleted = counts["deleted"] = enquiries_purge_old()
        days = settings.CONTACTS_ENQUIRY_RETENTION_DAYS
        kept = f"older than {days} days" if days > 0 else "none: retention is off"
        self.stdout.write(f"Delivered enquiries deleted ({kept}): {deleted}.")
