"""Background tasks of the publishing kernel: delivering the outbox and cutting image
renditions (django-tasks)."""

from django.apps import apps
from django_tasks import task

from publishing import outbox, services


@task()
def deliver_outbox_message(*, label, pk):
    """Deliver one outbox row (of the model named by `label`); the row records the outcome."""
    outbox.outbox_deliver(apps.get_model(label), pk)


@task()
def drain_outbox():
    """Send every outbox row that is due (stale claims included); returns the tally.

    With the mail server away nothing is claimed, so while rows are still owed (a killed
    worker's claims among them) the drain comes back after OUTBOX_RETRY_SECONDS.
    """
    outcomes = outbox.outbox_drain()
    if outcomes.get("mail server down"):
        outbox.outbox_drain_later()
    return dict(outcomes)


@task()
def make_image_renditions(image_id, name):
    """Cut an image's renditions; a page never does this, and never waits for it."""
    services.image_renditions_make(image_id=image_id, name=name)
