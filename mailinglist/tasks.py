"""Background work for the mailing list, through Django's tasks API (django-tasks)."""

from django_tasks import task

from mailinglist import services


@task()
def send_alerts():
    """Fan out due alerts and send what the mailing list's outbox owes."""
    return services.alerts_send()


@task()
def send_subscriber_email(*, subscriber_id):
    """Tasks queued before sign-up emails became outbox rows: the drain sends what is owed."""
    return services.alerts_send()
