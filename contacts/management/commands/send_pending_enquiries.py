"""send_pending_enquiries: deliver every enquiry still waiting; safe to run at any time."""

from django.core.management.base import BaseCommand

from contacts.services import enquiries_deliver_pending


class Command(BaseCommand):
    help = (
        "Deliver enquiries that are still pending (after a mail outage, or from cron). Each is "
        "claimed before it is sent, so overlapping runs and workers never send one twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--due",
            action="store_true",
            help="Only those whose retry time has come (for a frequent cron job).",
        )
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")

    def handle(self, *args, due, limit, **options):
        outcomes = enquiries_deliver_pending(due_only=due, limit=limit)
        self.stdout.write(
            f"Enquiries sent: {outcomes['sent']}, still pending: {outcomes['pending']}, "
            f"failed: {outcomes['failed']}, skipped: {outcomes['skipped']}."
        )
