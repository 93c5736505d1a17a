"""The contact's own picture fields go: the picture is now a foreign key to the library."""

from django.db import migrations


class Migration(migrations.Migration):
    # Its own migration (and so its own transaction): on PostgreSQL the rows the previous one
    # updated leave deferred foreign-key checks pending, and ALTER TABLE waits for none.

    dependencies = [
        ("contacts", "0007_photo_to_library"),
    ]

    operations = [
        migrations.RemoveField(model_name="contact", name="photo"),
        migrations.RemoveField(model_name="contact", name="photo_alt"),
        migrations.RemoveField(model_name="contact", name="photo_decorative"),
        migrations.RemoveField(model_name="contact", name="photo_renditions"),
        migrations.RenameField(model_name="contact", old_name="photo_new", new_name="photo"),
    ]
