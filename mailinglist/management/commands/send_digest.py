"""manage.py send_digest: the weekly email for subscribers who chose a digest."""

from django.core.management.base import BaseCommand

from mailinglist import services


class Command(BaseCommand):
    help = (
        "Send each weekly subscriber one email listing every post owed to them since their "
        "last digest. Run once a week (e.g. Monday 08:00); overlapping runs are safe."
    )

    def handle(self, *args, **options):
        # Fan out first, so an item that went live moments ago is in this digest.
        services.alerts_fan_out()
        tally = services.digests_send()
        self.stdout.write(
            "Digests: {sent} sent, {skipped} items skipped, {failed} to retry.".format(**tally)
        )
