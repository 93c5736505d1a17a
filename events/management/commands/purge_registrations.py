"""manage.py purge_registrations: delete registrations a set number of days after their event."""

from scheduling.command import JobCommand


class Command(JobCommand):
    help = (
        "Delete the registrations of events that ended more than "
        "EVENTS_REGISTRATION_RETENTION_DAYS ago (default 90). Run daily."
    )
    job = "purge_registrations"
    report = (
        "Deleted {deleted} registration(s) of events that ended more than "
        "{settings.EVENTS_REGISTRATION_RETENTION_DAYS} days ago."
    )
