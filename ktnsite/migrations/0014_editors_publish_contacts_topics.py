"""Editors may publish contacts and topics (now published like posts), as they changed them
before: with review off, nothing changes for them."""

from django.db import migrations

from ktnsite.roles import editors_group_sync


class Migration(migrations.Migration):
    dependencies = [
        ("ktnsite", "0013_opportunity_watches"),
        ("contacts", "0010_contact_publishable"),
        ("topics", "0002_topic_publishable"),
    ]

    operations = [
        migrations.RunPython(editors_group_sync, migrations.RunPython.noop),
    ]
