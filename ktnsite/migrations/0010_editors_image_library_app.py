"""Editors keep the image library's rights now that it is an app of its own (see ktnsite.roles):
its content types moved in library 0001, carrying their permissions; this makes sure of it."""

from django.db import migrations

from ktnsite.roles import editors_group_sync


class Migration(migrations.Migration):
    dependencies = [
        ("ktnsite", "0009_editors_events"),
        ("library", "0001_initial"),
    ]

    operations = [migrations.RunPython(editors_group_sync, migrations.RunPython.noop)]
