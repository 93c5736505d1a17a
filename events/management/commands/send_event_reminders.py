"""manage.py send_event_reminders: owe everyone with a place a reminder the day before."""

from scheduling.command import JobCommand


class Command(JobCommand):
    help = (
        "Queue the day-before reminder for each registration with a place whose event starts "
        "within 24 hours (once each), then the outbox sends them. Run every 5 minutes."
    )
    job = "send_event_reminders"
    report = "Queued {reminders} reminder(s)."
