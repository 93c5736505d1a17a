"""Move each post's picture into the image library (publishing.Image), keeping its alt text,
decorative flag and renditions; the next migration drops the old fields."""

import django.db.models.deletion
from django.db import migrations, models

from publishing.migration_ops import pictures_from_library, pictures_to_library

OLD = {'file': 'hero_image', 'alt': 'hero_alt', 'decorative': 'hero_decorative', 'renditions': 'hero_renditions'}


def forwards(apps, schema_editor):
    pictures_to_library(
        apps, model="news.Post", old=OLD, new="hero_image_new", title_field="title", tag="hero"
    )


def backwards(apps, schema_editor):
    pictures_from_library(apps, model="news.Post", old=OLD, new="hero_image_new")


class Migration(migrations.Migration):

    dependencies = [
        ("news", "0008_post_change"),
        ("publishing", "0002_image_library"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="hero_image_new",
            field=models.ForeignKey(
                blank=True,
                help_text='Choose a picture from the library or upload one; its alt text is kept there.',
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="used_as_hero",
                to="publishing.image",
                verbose_name='hero image', 
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
