"""manage.py send_alerts: email subscribers about items whose publish time has come."""

from scheduling.command import JobCommand


class Command(JobCommand):
    help = (
        "Send topic alerts for items that have gone live (published now, or scheduled and "
        "now due) to immediate subscribers, and sign-up emails still owed, with retries. "
        "Run every few minutes; overlapping runs never send a message at the same time."
    )
    job = "send_alerts"
    report = (
        "Alerts: {deliveries} deliveries recorded. Emails: {sent} sent, {skipped} not "
        "wanted any more, {failed} to retry."
    )
