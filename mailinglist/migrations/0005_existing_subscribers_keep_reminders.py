"""Subscribers who joined before reminders became a choice keep getting them.

Until now every subscriber to a topic got a reminder a week before an opportunity on it
closed, and the sign-up button promised it; the choice is new, so those already on the list
start with it ticked (each reminder has one-click unsubscribe, and the preferences page
unticks it). New subscribers choose for themselves.
"""

from django.db import migrations


def keep_reminders(apps, schema_editor):
    Subscriber = apps.get_model("mailinglist", "Subscriber")
    Subscriber.objects.filter(deadline_reminders=False).update(deadline_reminders=True)


class Migration(migrations.Migration):
    dependencies = [
        ("mailinglist", "0004_subscriber_deadline_reminders"),
    ]

    operations = [
        migrations.RunPython(keep_reminders, migrations.RunPython.noop),
    ]
