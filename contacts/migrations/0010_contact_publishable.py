"""Contacts are published like posts (issue 28: reviewed before readers see them); every existing contact stays live."""

import django.utils.timezone
from django.db import migrations, models


def existing_rows_published(apps, schema_editor):
    """Every contact that readers saw before the upgrade stays live: published now, so an
    upgraded site shows exactly what it showed. New ones start as drafts."""
    Model = apps.get_model("contacts", "contact")
    Model.objects.filter(status="draft").update(
        status="published", publish_at=django.utils.timezone.now()
    )


class Migration(migrations.Migration):

    dependencies = [
        ("contacts", "0009_photo_from_library_app"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="contact",
            options={"ordering": ["name"], "permissions": [("export_contact", "Can export the staff directory as CSV"), ("publish_contact", "Can publish contacts")]},
        ),
        migrations.AddField(
            model_name="contact",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("published", "Published")],
                db_index=True,
                default="draft",
                help_text="Only published items whose publish time has come are shown to readers.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="contact",
            name="publish_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text='The date readers see as "Posted on". Leave it empty to use the moment you publish; a future time schedules the item; a past time backdates it.',
                null=True,
                verbose_name="publish time",
            ),
        ),
        migrations.AddField(
            model_name="contact",
            name="expire_at",
            field=models.DateTimeField(
                blank=True,
                help_text='Optional. At this time the item leaves every list, feed and search by itself, and its address answers "Gone".',
                null=True,
                verbose_name="take down at",
            ),
        ),
        migrations.AddField(
            model_name="contact",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="contact",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(existing_rows_published, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "draft"), ("publish_at__isnull", False), _connector="OR"),
                name="contacts_contact_published_has_time",
            ),
        ),
    ]
