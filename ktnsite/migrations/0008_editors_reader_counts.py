"""Editors see what readers did on the dashboard: the daily counts (see ktnsite.roles)."""

from django.db import migrations

from ktnsite.roles import editors_group_sync


class Migration(migrations.Migration):
    dependencies = [
        ("ktnsite", "0007_editors_review"),
        ("dashboard", "0002_reader_counts"),
    ]

    operations = [migrations.RunPython(editors_group_sync, migrations.RunPython.noop)]
