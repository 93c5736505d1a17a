"""The readers' panel's roll-up: each item's total over each span's closed days, made daily.

Ranking the most viewed items over a year sums every daily row of the year (3.4 million
with 100,000 items read: 1.6 s). The closed days do not change, so the job
`roll_up_reader_counts` sums them once a day, after midnight, into `SpanTotal` (one row per
item, kind and span) and the admin home reads that, adding today's rows live
(`dashboard.readers.top_items`). Made from `DailyCount` only: however views reach the
daily rows, what is rolled up is what they hold once the day is closed.
"""

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from dashboard.counts import DOWNLOAD, VIEW
from dashboard.models import DailyCount, SpanRollup, SpanTotal

# The spans the readers' panel offers (`?days=90`; dashboard.readers imports them): each is
# rolled up.
SPANS = (30, 90, 365)
ROLLED_UP = (VIEW, DOWNLOAD)


def rolled_up(today):
    """Whether the span totals through the day before `today` are made."""
    return SpanRollup.objects.filter(through=today - timedelta(days=1)).exists()


def roll_up(*, today=None, again=False):
    """Make the span totals through yesterday (the closed days of each span read `today`),
    once: how many rows were made, 0 when they were already there (`again` makes them
    anew, after closed days' counts were loaded). Older totals go."""
    today = today or timezone.localdate()
    through = today - timedelta(days=1)
    if not again and SpanRollup.objects.filter(through=through).exists():
        return 0
    quote = connection.ops.quote_name
    day = connection.ops.adapt_datefield_value
    source, target = quote(DailyCount._meta.db_table), quote(SpanTotal._meta.db_table)
    # Only quoted names of our own go into the text; every value is a parameter.
    sql = (
        f"INSERT INTO {target} ({quote('kind')}, {quote('days')}, {quote('through')}, "  # noqa: S608
        f"{quote('key')}, {quote('total')}) "
        f"SELECT {quote('kind')}, %s, %s, {quote('key')}, SUM({quote('count')}) FROM {source} "
        f"WHERE {quote('kind')} = %s AND {quote('day')} >= %s AND {quote('day')} <= %s "
        f"GROUP BY {quote('kind')}, {quote('key')}"
    )
    made = 0
    with transaction.atomic():
        SpanTotal.objects.all().delete()
        SpanRollup.objects.all().delete()
        with connection.cursor() as cursor:
            for kind in ROLLED_UP:
                for days in SPANS:
                    since = today - timedelta(days=days - 1)
                    cursor.execute(sql, [days, day(through), kind, day(since), day(through)])
                    made += cursor.rowcount
            if connection.vendor == "postgresql":
                # The table is replaced each day: without fresh statistics the planner takes
                # an item's lookup for a scan of its whole span (100,000 rows, 0.5 s).
                cursor.execute(f"ANALYZE {target}")
        SpanRollup.objects.create(through=through)
    return made
