"""Editors may work the enquiry inbox and erase subscribers on request (see ktnsite.roles)."""

from django.db import migrations

from ktnsite.roles import editors_group_sync


class Migration(migrations.Migration):
    dependencies = [("ktnsite", "0001_editors_group")]

    operations = [migrations.RunPython(editors_group_sync, migrations.RunPython.noop)]
