"""send_outbox: send every email the site still owes (enquiries, sign-up emails, alerts)."""

from django.core.management.base import BaseCommand

from outbox.delivery import OutboxState, outbox_drain, outbox_models
from scheduling.runner import job_recorded


class Command(BaseCommand):
    help = (
        "Send what every outbox still owes: enquiries, mailing-list sign-up emails and alerts "
        "(weekly digests go out with send_digest). Run by run_scheduler every 5 minutes (or from cron) as the "
        "safety net behind the task worker; each row is claimed before it is sent, so "
        "overlapping runs and workers never send one at the same time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Also rows whose retry time has not come (after a mail outage: send now).",
        )
        parser.add_argument("--limit", type=int, default=None, help="Send at most this many.")

    def handle(self, *args, all, limit, **options):  # noqa: A002 - the option's name
        # Recorded as a run of the scheduled job, so a cron line keeps readiness green.
        with job_recorded("send_outbox") as counts:
            outcomes = outbox_drain(due_only=not all, limit=limit)
            counts.update({str(key): value for key, value in outcomes.items()})
        if outcomes.get("mail server down"):
            self.stderr.write("The mail server could not be reached: nothing was sent.")
        self.stdout.write(
            f"Sent: {outcomes[OutboxState.SENT]}, to retry: {outcomes[OutboxState.PENDING]}, "
            f"failed for good: {outcomes[OutboxState.FAILED]}, "
            f"not wanted any more: {outcomes[OutboxState.SKIPPED]}."
        )
        dead = sum(model.objects.dead().count() for model in outbox_models())
        if dead:
            self.stderr.write(
                f"{dead} message(s) gave up after every attempt: see the Failed filter of "
                "Enquiries, Sign-up emails and Deliveries in the admin, and retry them there."
            )
