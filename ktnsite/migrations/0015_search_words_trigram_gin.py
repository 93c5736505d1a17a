"""The suggestion words' trigram index becomes GIN: "Did you mean …?" reads a few pages, not hundreds."""

from django.db import migrations


def gin_index(apps, schema_editor):
    # ktnsite.suggestions.nearest_words ranks only the words `%` finds similar, which a GIN
    # index answers from the word's own trigrams; the GiST index it replaces was walked in
    # order of distance and read 300-700 pages for a word nothing resembles.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ktnsite_searchword_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ktnsite_searchword_trgm_gin ON ktnsite_searchword"
            # Words are learnt a few at a time as items go live: written straight into the
            # index, not into a pending list that every lookup reads until a VACUUM.
            " USING gin (word gin_trgm_ops) WITH (fastupdate = off)"
        )


def gist_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ktnsite_searchword_trgm_gin")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ktnsite_searchword_trgm ON ktnsite_searchword"
            " USING gist (word gist_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ktnsite", "0014_editors_publish_contacts_topics"),
    ]

    operations = [migrations.RunPython(gin_index, gist_index, elidable=False)]
