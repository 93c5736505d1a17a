"""Editors see the reviews list and review emails (see ktnsite.roles)."""

from django.db import migrations

from ktnsite.roles import editors_group_sync


class Migration(migrations.Migration):
    dependencies = [
        ("ktnsite", "0006_search_words"),
        ("review", "0001_review"),
    ]

    operations = [migrations.RunPython(editors_group_sync, migrations.RunPython.noop)]
