"""manage.py send_alerts: email subscribers about items whose publish time has come."""

from django.core.management.base import BaseCommand

from mailinglist import services
from scheduling.runner import job_recorded


class Command(BaseCommand):
    help = (
        "Send topic alerts for items that have gone live (published now, or scheduled and "
        "now due) to immediate subscribers, and sign-up emails still owed, with retries. "
        "Run every few minutes; overlapping runs never send a message at the same time."
    )

    def handle(self, *args, **options):
        with job_recorded("send_alerts") as counts:
            tally = services.alerts_send()
            counts.update(tally)
        if tally["mail_server_down"]:
            self.stderr.write("The mail server could not be reached: nothing was sent.")
        self.stdout.write(
            "Alerts: {deliveries} deliveries recorded. Emails: {sent} sent, {skipped} not "
            "wanted any more, {failed} to retry.".format(**tally)
        )
