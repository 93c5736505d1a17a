"""Background work for the mailing list, through Django's tasks API (django-tasks)."""

from django_tasks import task

from mailinglist import services


@task()
def send_alerts():
    """Fan out due alerts and send what the mailing list's outbox owes."""
    return services.alerts_send()
