"""A contact's photo is a library.Image: the library is an app of its own now (library 0001); the table and its
foreign key are unchanged, so this changes Django's state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("contacts", "0008_photo_old_fields_removed"),
    ]
    # Before publishing forgets its Image (publishing 0005), which nothing may point at then.
    run_before = [("publishing", "0005_image_library_moved")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contact",
                    name="photo",
                    field=models.ForeignKey(blank=True, help_text='A head-and-shoulders photo from the library (or upload one there).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='used_as_photo', to='library.image'),
                ),
            ],
            database_operations=[],
        ),
    ]
