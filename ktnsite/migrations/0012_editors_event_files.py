"""Editors may attach slides and recordings to events (events.EventFile, see ktnsite.roles)."""

from django.db import migrations

from ktnsite.roles import editors_group_sync


class Migration(migrations.Migration):
    dependencies = [
        ("ktnsite", "0011_opportunity_reminders"),
        ("events", "0004_event_files"),
    ]

    operations = [migrations.RunPython(editors_group_sync, migrations.RunPython.noop)]
