"""manage.py purge_unconfirmed: forget sign-ups that were never confirmed."""

from scheduling.command import JobCommand


class Command(JobCommand):
    help = (
        "Delete pending sign-ups older than the confirmation link's lifetime "
        "(MAILINGLIST_CONFIRM_DAYS). Run daily."
    )
    job = "purge_unconfirmed"
    report = (
        "Purged {deleted} sign-up(s) unconfirmed after {settings.MAILINGLIST_CONFIRM_DAYS} days."
    )
