"""App configuration for the outbox: every email the site owes, sent at least once."""

from datetime import timedelta

from django.apps import AppConfig


def send_outbox_job():
    """The scheduled safety net behind the worker: every email still owed and due."""
    from outbox.delivery import outbox_drain

    return {str(outcome): count for outcome, count in outbox_drain().items()}


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
