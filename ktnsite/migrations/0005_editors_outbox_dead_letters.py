"""Editors see and retry every outbox's dead letters: sign-up emails and alerts (see ktnsite.roles)."""

from django.db import migrations

from ktnsite.roles import editors_group_sync


class Migration(migrations.Migration):
    dependencies = [
        ("ktnsite", "0004_editors_image_library"),
        ("mailinglist", "0003_outbox"),
    ]

    operations = [migrations.RunPython(editors_group_sync, migrations.RunPython.noop)]
