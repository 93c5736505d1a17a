"""Background tasks for contacts, run through Django's tasks API (django-tasks)."""

from django_tasks import task

from contacts import services


@task()
def deliver_enquiry(enquiry_id):
    """Deliver one stored enquiry; the row records the outcome, so nothing is returned."""
    services.enquiry_deliver(enquiry_id=enquiry_id)
