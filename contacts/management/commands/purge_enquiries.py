"""purge_enquiries: delete delivered enquiries past the retention period (personal data)."""

from django.conf import settings

from scheduling.command import JobCommand


class Command(JobCommand):
    help = (
        "Delete enquiries delivered more than CONTACTS_ENQUIRY_RETENTION_DAYS ago. Pending and "
        "failed enquiries are never deleted. Run daily."
    )
    job = "purge_enquiries"

    def report_text(self, counts):
        days = settings.CONTACTS_ENQUIRY_RETENTION_DAYS
        kept = f"older than {days} days" if days > 0 else "none: retention is off"
        return f"Delivered enquiries deleted ({kept}): {counts['deleted']}."
