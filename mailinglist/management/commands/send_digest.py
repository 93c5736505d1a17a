"""manage.py send_digest: the weekly email for subscribers who chose a digest."""

from scheduling.command import JobCommand


class Command(JobCommand):
    help = (
        "Send each weekly subscriber one email listing every post owed to them since their "
        "last digest. Run once a week (e.g. Monday 08:00); overlapping runs are safe."
    )
    job = "send_digest"
    report = "Digests: {sent} sent, {skipped} items skipped, {failed} to retry."
