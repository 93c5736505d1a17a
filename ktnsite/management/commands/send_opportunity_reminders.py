"""manage.py send_opportunity_reminders: email subscribers a week before an opportunity on their topics closes."""

from scheduling.command import JobCommand


class Command(JobCommand):
    help = (
        "Record the deadline reminders now owed (one per subscriber and opportunity, 7 days "
        "before it closes) and send every reminder still owed, with retries. Run it every "
        "few minutes or hourly; runs may overlap and never send a reminder twice."
    )
    job = "send_opportunity_reminders"
    report = (
        "Reminders: {recorded} recorded. Emails: {sent} sent, {skipped} not wanted any "
        "more, {failed} to retry."
    )
