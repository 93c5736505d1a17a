"""Editors may edit the site pages (flat pages) and reword change notes (see ktnsite.roles)."""

from django.db import migrations

from ktnsite.roles import editors_group_sync


class Migration(migrations.Migration):
    dependencies = [
        ("ktnsite", "0002_editors_inbox_and_mailing_list"),
        ("flatpages", "0001_initial"),
        ("news", "0008_post_change"),
    ]

    operations = [migrations.RunPython(editors_group_sync, migrations.RunPython.noop)]
