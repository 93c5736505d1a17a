"""Editors may use the image library (see ktnsite.roles)."""

from django.db import migrations

from ktnsite.roles import editors_group_sync


class Migration(migrations.Migration):
    dependencies = [
        ("ktnsite", "0003_editors_site_pages_and_change_notes"),
        ("publishing", "0002_image_library"),
    ]

    operations = [migrations.RunPython(editors_group_sync, migrations.RunPython.noop)]
