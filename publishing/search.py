"""Full-text search plumbing: a stored search vector kept current by a PostgreSQL trigger.

A database trigger, not save(), fills the vector so that every way a row is written
(save(), bulk_create(), update(), a data migration) keeps it current. On SQLite the column
exists but stays empty; search there falls back to plain substring matching.
"""

from contextlib import contextmanager
from datetime import UTC

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

SEARCH_CONFIG = "english"


def search_vector_field():
    return SearchVectorField(null=True, editable=False)


def _names(table):
    return f"{table}_search_vector_update", f"{table}_search_vector_trigger"


def search_trigger_name(table):
    """The trigger search_trigger_operation() puts on `table`."""
    return _names(table)[1]


def gin_index_name(table):
    """The GIN index search_trigger_operation() makes on `table`'s vectors."""
    return f"{table}_search_vector_gin"


@contextmanager
def vectors_written_by_caller(table, cursor):
    """Inside a transaction on PostgreSQL: rows inserted into `table` keep the search vector
    the caller wrote, and the GIN index is built once at the end instead of row by row.

    For bulk loads only (generate_content): the trigger is switched off and the index
    dropped for the rest of the transaction (other sessions wait on the table meanwhile),
    then both come back; if the load fails, the rollback restores them too. Building the
    index once over a million rows is many times cheaper than updating it per row.
    """
    _, trigger = _names(table)
    index = gin_index_name(table)
    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    cursor.execute(f"DROP INDEX IF EXISTS {index}")
    yield
    # Django's foreign keys are checked at commit; ALTER TABLE refuses to run while such
    # checks are pending, so they are made now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")
    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


def _vector_sql(weighted_columns, row="NEW."):
    return " || ".join(
        f"setweight(to_tsvector('pg_catalog.{SEARCH_CONFIG}', coalesce({row}{column}, '')), '{weight}')"
        for column, weight in weighted_columns
    )


def month_lexeme(moment):
    """The lexeme a dated row's vector carries for its month (UTC), e.g. "@2026-11".

    No query a reader types can produce it (the parser splits "@", digits and "-"), so it
    never matches a reader's words; search ANDs a list of them with the reader's query so
    that the GIN index itself keeps only one window's months (ktnsite.search).
    """
    return f"@{moment.astimezone(UTC):%Y-%m}"


def _month_sql(column, row="NEW."):
    return (
        f"CASE WHEN {row}{column} IS NULL THEN ''::tsvector ELSE array_to_tsvector(ARRAY["
        f"'@' || to_char({row}{column} AT TIME ZONE 'UTC', 'YYYY-MM')]) END"
    )


def _function_sql(table, weighted_columns, rank_columns=(), month_column=None):
    function, _ = _names(table)
    rank = f"NEW.rank_vector := {_vector_sql(rank_columns)};" if rank_columns else ""
    month = f" || {_month_sql(month_column)}" if month_column else ""
    return f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            NEW.search_vector := {_vector_sql(weighted_columns)}{month};
            {rank}
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql
        """


def _trigger_sql(table, columns):
    function, trigger = _names(table)
    return [
        f"DROP TRIGGER IF EXISTS {trigger} ON {table}",
        # Only when a searched column is written: counting a download must not re-parse
        # a report's whole text.
        f"""
        CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE OF {", ".join(columns)} ON {table}
        FOR EACH ROW EXECUTE FUNCTION {function}()
        """,
    ]


def _create_sql(table, weighted_columns):
    return [
        _function_sql(table, weighted_columns),
        *_trigger_sql(table, [column for column, _ in weighted_columns]),
        f"CREATE INDEX IF NOT EXISTS {gin_index_name(table)} ON {table} USING gin (search_vector)",
        # Fill the vector for rows written before the trigger existed.
        f"UPDATE {table} SET {weighted_columns[0][0]} = {weighted_columns[0][0]}",  # noqa: S608 - names from migrations, not input
    ]


def _drop_sql(table):
    function, trigger = _names(table)
    return [
        f"DROP INDEX IF EXISTS {gin_index_name(table)}",
        f"DROP TRIGGER IF EXISTS {trigger} ON {table}",
        f"DROP FUNCTION IF EXISTS {function}()",
    ]


def search_trigger_operation(table, weighted_columns):
    """A migration operation that installs the trigger and GIN index on PostgreSQL only.

    `weighted_columns` is a list of (column, weight) pairs, weight "A" (most important) to "D".
    """

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in _create_sql(table, weighted_columns):
                schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in _drop_sql(table):
                schema_editor.execute(sql)

    return migrations.RunPython(forwards, backwards, elidable=False)


def search_vector_inline_operation(table):
    """A migration operation that keeps `table`'s search vectors inside their rows (PostgreSQL only).

    By default PostgreSQL moves a row's largest value out to its TOAST table once the row
    passes about 2 kB, and a post's vector is usually that value. Every match test then
    fetches it from there: a search that tests 20,000 rows did 20,000 extra lookups.
    STORAGE MAIN keeps the vector in the row (up to a whole page) and moves the body out
    first; a larger vector is still compressed or moved out, so nothing is ever too big.
    The setting applies to values written afterwards, so existing vectors are rewritten
    (unchanged, without the trigger re-reading any text).
    """

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE MAIN"
            )
            # `|| ''` makes a new value, which is stored under the new rule.
            schema_editor.execute(
                f"UPDATE {table} SET search_vector = search_vector || ''::tsvector"  # noqa: S608 - names from migrations
                " WHERE search_vector IS NOT NULL"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE EXTENDED"
            )

    return migrations.RunPython(forwards, backwards, elidable=False)


def rank_vector_operation(table, weighted_columns, rank_columns):
    """A migration operation: `table`'s trigger also fills a small `rank_vector` (PostgreSQL only).

    Ranking reads the vector of every row it ranks. A report's `search_vector` holds its
    whole extracted text, is stored out of line (TOAST) and takes several pages to read;
    ranking the newest 500 matching reports read and scored thousands of pages. The small
    vector holds only `rank_columns` (title and summary), a few hundred bytes kept in the
    row: matching still uses the whole text's vector and its GIN index. `weighted_columns`
    are the search vector's, as search_trigger_operation() was given them; rank_columns
    must be among them, so that the trigger already runs when they change. Existing rows
    are filled without re-reading their whole text.
    """

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_function_sql(table, weighted_columns, rank_columns))
            schema_editor.execute(
                f"UPDATE {table} SET rank_vector = {_vector_sql(rank_columns, row='')}"  # noqa: S608 - names from migrations
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_function_sql(table, weighted_columns))

    return migrations.RunPython(forwards, backwards, elidable=False)


def month_lexeme_operation(table, weighted_columns, month_column):
    """A migration operation: `table`'s vectors also carry their row's month_lexeme() of
    `month_column` (PostgreSQL only).

    The trigger then also runs when that column is written (a post rescheduled moves to
    its new month). Existing vectors get the lexeme added, without re-reading any text.
    """

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _replace_trigger(schema_editor, table, weighted_columns, month_column)
            schema_editor.execute(
                f"UPDATE {table} SET search_vector = search_vector || {_month_sql(month_column, row='')}"  # noqa: S608 - names from migrations
                " WHERE search_vector IS NOT NULL"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _replace_trigger(schema_editor, table, weighted_columns)
            schema_editor.execute(
                f"UPDATE {table} SET search_vector = ts_delete(search_vector,"  # noqa: S608 - names from migrations
                f" tsvector_to_array({_month_sql(month_column, row='')}))"
                " WHERE search_vector IS NOT NULL"
            )

    return migrations.RunPython(forwards, backwards, elidable=False)


def _replace_trigger(schema_editor, table, weighted_columns, month_column=None):
    """`table`'s trigger function and trigger anew, for these columns (and month, if any)."""
    schema_editor.execute(_function_sql(table, weighted_columns, month_column=month_column))
    columns = [column for column, _ in weighted_columns]
    for sql in _trigger_sql(table, [*columns, month_column] if month_column else columns):
        schema_editor.execute(sql)
