"""send_outbox: send every email the site still owes (enquiries, sign-up emails, alerts)."""

from outbox.delivery import outbox_models
from scheduling.command import JobCommand


class Command(JobCommand):
    help = (
        "Send what every outbox still owes: enquiries, mailing-list sign-up emails and alerts "
        "(weekly digests go out with send_digest). Run by run_scheduler every 5 minutes (or "
        "from cron) as the safety net behind the task worker; each row is claimed before it "
        "is sent, so overlapping runs and workers never send one at the same time."
    )
    job = "send_outbox"
    report = (
        "Sent: {sent}, to retry: {pending}, failed for good: {failed}, "
        "not wanted any more: {skipped}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Also rows whose retry time has not come (after a mail outage: send now).",
        )
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")

    def job_options(self, options):
        return {"due_only": not options["all"], "limit": options["limit"]}

    def warn(self, counts):
        dead = sum(model.objects.dead().count() for model in outbox_models())
        if dead:
            self.stderr.write(
                f"{dead} message(s) gave up after every attempt: see the Failed filter of "
                "Enquiries, Sign-up emails and Deliveries in the admin, and retry them there."
            )
