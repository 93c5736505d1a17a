"""The words search suggests for a misspelt word, with a trigram index on PostgreSQL."""

from django.db import migrations, models


def trigram_extension(apps, schema_editor):
    # Not django.contrib.postgres' TrigramExtension: migrating backwards it queries
    # pg_extension on SQLite too. Left in place backwards: other things may use it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def trigram_index(apps, schema_editor):
    # GiST, not GIN: it answers "the nearest words" (ORDER BY word <-> %s LIMIT n) by
    # walking the index, so the cost does not grow with the number of words.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX ktnsite_searchword_trgm ON ktnsite_searchword"
            " USING gist (word gist_trgm_ops)"
        )


def trigram_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ktnsite_searchword_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("ktnsite", "0005_editors_outbox_dead_letters"),
    ]

    operations = [
        migrations.RunPython(trigram_extension, migrations.RunPython.noop, elidable=False),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=30, unique=True)),
                ("uses", models.PositiveIntegerField(default=1, help_text="How often it occurs.")),
            ],
        ),
        migrations.RunPython(trigram_index, trigram_index_drop, elidable=False),
    ]
