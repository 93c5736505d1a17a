"""Editors write events and see their registrations (see ktnsite.roles)."""

from django.db import migrations

from ktnsite.roles import editors_group_sync


class Migration(migrations.Migration):
    dependencies = [
        ("ktnsite", "0008_editors_reader_counts"),
        ("events", "0002_registration"),
    ]

    operations = [migrations.RunPython(editors_group_sync, migrations.RunPython.noop)]
