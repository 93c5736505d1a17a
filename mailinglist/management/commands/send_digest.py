"""manage.py send_digest: the weekly email for subscribers who chose a digest."""

from django.core.management.base import BaseCommand

from mailinglist import services
from scheduling.runner import job_recorded


class Command(BaseCommand):
    help = (
        "Send each weekly subscriber one email listing every post owed to them since their "
        "last digest. Run once a week (e.g. Monday 08:00); overlapping runs are safe."
    )

    def handle(self, *args, **options):
        # Fan out first, so an item that went live moments ago is in this digest.
        with job_recorded("send_digest") as counts:
            services.alerts_fan_out()
            tally = services.digests_send()
            counts.update(tally)
        self.stdout.write(
            "Digests: {sent} sent, {skipped} items skipped, {failed} to retry.".format(**tally)
        )
