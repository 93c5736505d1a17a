"""The report's own picture fields go: the picture is now a foreign key to the library."""

from django.db import migrations


class Migration(migrations.Migration):
    # Its own migration (and so its own transaction): on PostgreSQL the rows the previous one
    # updated leave deferred foreign-key checks pending, and ALTER TABLE waits for none.

    dependencies = [
        ("reports", "0008_cover_image_to_library"),
    ]

    operations = [
        migrations.RemoveField(model_name="report", name="cover_image"),
        migrations.RemoveField(model_name="report", name="cover_alt"),
        migrations.RemoveField(model_name="report", name="cover_decorative"),
        migrations.RemoveField(model_name="report", name="cover_renditions"),
        migrations.RenameField(model_name="report", old_name="cover_image_new", new_name="cover_image"),
    ]
