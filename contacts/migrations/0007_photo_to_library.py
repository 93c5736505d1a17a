"""Move each contact's picture into the image library (publishing.Image), keeping its alt text,
decorative flag and renditions; the next migration drops the old fields."""

import django.db.models.deletion
from django.db import migrations, models

from publishing.migration_ops import pictures_from_library, pictures_to_library

OLD = {'file': 'photo', 'alt': 'photo_alt', 'decorative': 'photo_decorative', 'renditions': 'photo_renditions'}


def forwards(apps, schema_editor):
    pictures_to_library(
        apps, model="contacts.Contact", old=OLD, new="photo_new", title_field="name", tag="photo"
    )


def backwards(apps, schema_editor):
    pictures_from_library(apps, model="contacts.Contact", old=OLD, new="photo_new")


class Migration(migrations.Migration):

    dependencies = [
        ("contacts", "0006_outbox"),
        ("publishing", "0002_image_library"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="photo_new",
            field=models.ForeignKey(
                blank=True,
                help_text='A head-and-shoulders photo from the library (or upload one there).',
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="used_as_photo",
                to="publishing.image",
                
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
