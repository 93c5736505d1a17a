"""App configuration for the outbox: every email the site owes, sent at least once."""

from datetime import timedelta

from django.apps import AppConfig


def send_outbox_job(*, due_only=True, limit=None):
    """The scheduled safety net behind the worker: every email still owed and due (or not yet
    due too, and at most `limit`, as send_outbox's --all and --limit ask)."""
    from outbox.delivery import outbox_drain

    outcomes = outbox_drain(due_only=due_only, limit=limit)
    return {str(outcome): count for outcome, count in outcomes.items()}


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outbox"

    def ready(self):
        from scheduling import register_job

        register_job(
            "send_outbox",
            send_outbox_job,
            every=timedelta(minutes=5),
            description="Every email still owed and due: enquiries, sign-up emails, alerts.",
        )
