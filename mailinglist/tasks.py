"""Background work for the mailing list, through Django's tasks API (django-tasks)."""

from django_tasks import task

from mailinglist import services


@task()
def send_subscriber_email(*, subscriber_id):
    return services.subscriber_email_send(subscriber_id=subscriber_id)


@task()
def send_alerts():
    return services.alerts_send()
