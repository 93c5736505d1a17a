"""The image library's models (Image, Tag, BodyImage) now belong to the library app (library
0001 made them there, over the same tables): forgotten here in Django's state only, so no
table or row is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    # The content apps' foreign keys move to library.Image first (their migrations name this
    # one in run_before), so nothing points at publishing.Image when it goes.
    dependencies = [
        ("library", "0001_initial"),
        ("publishing", "0004_working_copy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="BodyImage"),
                migrations.RemoveField(model_name="image", name="tags"),
                migrations.DeleteModel(name="Tag"),
                migrations.DeleteModel(name="Image"),
            ],
            database_operations=[],
        ),
    ]
