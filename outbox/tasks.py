"""Background tasks of the outbox: delivering one message and draining what is due
(django-tasks)."""

from django.apps import apps
from django_tasks import task

from outbox import delivery


@task()
def deliver_outbox_message(*, label, pk):
    """Deliver one outbox row (of the model named by `label`); the row records the outcome."""
    delivery.outbox_deliver(apps.get_model(label), pk)


@task()
def drain_outbox():
    """Send every outbox row that is due (stale claims included); returns the tally.

    With the mail server away nothing is claimed, so while rows are still owed (a killed
    worker's claims among them) the drain comes back after OUTBOX_RETRY_SECONDS.
    """
    outcomes = delivery.outbox_drain()
    if outcomes.get("mail server down"):
        delivery.outbox_drain_later()
    return dict(outcomes)
