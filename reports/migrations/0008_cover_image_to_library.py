"""Move each report's picture into the image library (publishing.Image), keeping its alt text,
decorative flag and renditions; the next migration drops the old fields."""

import django.db.models.deletion
from django.db import migrations, models

from publishing.migration_ops import pictures_from_library, pictures_to_library

OLD = {'file': 'cover_image', 'alt': 'cover_alt', 'decorative': 'cover_decorative', 'renditions': 'cover_renditions'}


def forwards(apps, schema_editor):
    pictures_to_library(
        apps, model="reports.Report", old=OLD, new="cover_image_new", title_field="title", tag="cover"
    )


def backwards(apps, schema_editor):
    pictures_from_library(apps, model="reports.Report", old=OLD, new="cover_image_new")


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0007_report_accessible_format_contact"),
        ("publishing", "0002_image_library"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="cover_image_new",
            field=models.ForeignKey(
                blank=True,
                help_text="The report's cover, from the library (or upload one there).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="used_as_cover",
                to="publishing.image",
                verbose_name='cover', 
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
