"""manage.py send_opportunity_reminders: email subscribers a week before an opportunity on their topics closes."""

from django.core.management.base import BaseCommand

from ktnsite.reminders import opportunity_reminders_send
from scheduling.runner import job_recorded


class Command(BaseCommand):
    help = (
        "Record the deadline reminders now owed (one per subscriber and opportunity, 7 days "
        "before it closes) and send every reminder still owed, with retries. Run it every "
        "few minutes or hourly; runs may overlap and never send a reminder twice."
    )

    def handle(self, *args, **options):
        with job_recorded("send_opportunity_reminders") as counts:
            tally = opportunity_reminders_send()
            counts.update({name: int(count) for name, count in tally.items()})
        if tally["mail_server_down"]:
            self.stderr.write("The mail server could not be reached: nothing was sent.")
        self.stdout.write(
            "Reminders: {recorded} recorded. Emails: {sent} sent, {skipped} not wanted any "
            "more, {failed} to retry.".format(**tally)
        )
