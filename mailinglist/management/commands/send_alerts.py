"""manage.py send_alerts: email subscribers about items whose publish time has come."""

from django.core.management.base import BaseCommand

from mailinglist import services


class Command(BaseCommand):
    help = (
        "Send topic alerts for items that have gone live (published now, or scheduled and "
        "now due) to immediate subscribers; retry failed alerts and sign-up emails. Run "
        "every few minutes: overlapping runs never send anyone the same item twice."
    )

    def handle(self, *args, **options):
        tally = services.alerts_send()
        self.stdout.write(
            "Sign-up emails: {signup_emails} sent. "
            "Alerts: {deliveries} deliveries recorded, {sent} sent, {skipped} skipped, "
            "{failed} to retry.".format(**tally)
        )
        if tally["stuck"]:
            self.stderr.write(
                f"{tally['stuck']} deliveries have been 'being sent' for over an hour: a run "
                "stopped before recording whether they went out. They are not retried, so "
                "that nobody gets an item twice; see Deliveries in the admin."
            )
