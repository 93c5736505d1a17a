"""The post's own picture fields go: the picture is now a foreign key to the library."""

from django.db import migrations


class Migration(migrations.Migration):
    # Its own migration (and so its own transaction): on PostgreSQL the rows the previous one
    # updated leave deferred foreign-key checks pending, and ALTER TABLE waits for none.

    dependencies = [
        ("news", "0009_hero_image_to_library"),
    ]

    operations = [
        migrations.RemoveField(model_name="post", name="hero_image"),
        migrations.RemoveField(model_name="post", name="hero_alt"),
        migrations.RemoveField(model_name="post", name="hero_decorative"),
        migrations.RemoveField(model_name="post", name="hero_renditions"),
        migrations.RenameField(model_name="post", old_name="hero_image_new", new_name="hero_image"),
    ]
