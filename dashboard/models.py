"""What the dashboard keeps: the checks' findings on live items, refreshed as items change."""

from django.db import models


class LiveFinding(models.Model):
    """One live item the checks before publishing still find problems in.

    Checking every live item on each visit to the admin home would read every body; the
    findings are kept here instead, refreshed after each save of a content item
    (`dashboard.findings`) and by `manage.py check_live_content` (a link breaks when the
    page it points at goes, which saves nothing of the item itself).
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=200)
    count = models.PositiveIntegerField(help_text="How many findings.")
    summary = models.TextField(help_text="The findings, one a line, as the checks say them.")
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-count", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="dashboard_livefinding_one_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.title}: {self.count}"


class DailyCount(models.Model):
    """How many times something readers did happened on one day: nothing about who.

    No address, user agent, cookie or session is stored or read to make these rows; each is
    a total per day (in the site's time zone), kept up by one upsert (`dashboard.counts`).
    """

    day = models.DateField()
    kind = models.CharField(max_length=20)  # "view", "download", "search", "search-none"
    # What was counted: an item's key ("report-3") or a search's words; "" for a total.
    key = models.CharField(max_length=200, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "day", "key"], name="dashboard_dailycount_one"),
        ]
        # One item's days (the past of an item that climbs today), a total's days (searches).
        indexes = [models.Index(fields=["kind", "key", "day"], name="dashboard_dailycount_key")]

    def __str__(self):
        return f"{self.day} {self.kind} {self.key}: {self.count}"


class ReferrerCount(models.Model):
    """How many views of one item on one day came from one referring site: its host only.

    The page's beacon sends the host of `document.referrer` (never its path or query, which
    may carry a search or an email's tracking), so no full address is ever received or kept.
    "" is a view with no referrer (typed, bookmarked, many email and chat apps), "other"
    the views from hosts past `dashboard.counts.HOSTS_PER_DAY` on that day, which bounds the
    rows per item and day whatever hosts a flood of requests names.
    """

    day = models.DateField()
    key = models.CharField(max_length=200)  # the item's surrogate key: "post-12"
    host = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "key", "-count"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "day", "host"], name="dashboard_referrercount_one"
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.key} from {self.host or 'no referrer'}: {self.count}"


class SpanTotal(models.Model):
    """One item's total of a kind over a span's closed days: the readers' panel's roll-up.

    Made once a day by the job `roll_up_reader_counts` (`dashboard.rollup`) from the daily
    rows, for each span an editor may choose (30, 90, 365 days) and each item counted in it:
    the span's days before today, through `through` (yesterday). The admin home then reads
    the closed days' ranking and the totals of items that climb today from here, an index
    range, never summing a year of daily rows; today's rows are read live and added.
    """

    kind = models.CharField(max_length=20)  # "view" or "download", as in DailyCount
    days = models.PositiveSmallIntegerField()  # the span: 30, 90 or 365
    through = models.DateField()  # the span's last closed day
    key = models.CharField(max_length=200)  # the item's surrogate key: "report-3"
    total = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "days", "through", "key"], name="dashboard_spantotal_one"
            ),
        ]
        # The closed days' ranking: the first CANDIDATES rows of this index, in order.
        indexes = [
            models.Index(
                fields=["kind", "days", "through", "-total", "key"], name="dashboard_spantotal_rank"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.key}, {self.days} days through {self.through}: {self.total}"


class SpanRollup(models.Model):
    """The roll-up through this day is complete: written in the transaction that made it, so
    a span with no rows at all (nothing downloaded) is told from a roll-up not yet made."""

    through = models.DateField(unique=True)
    made_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Span totals through {self.through}"


class ViewBatch(models.Model):
    """A batch of page views moved from Redis into the daily rows (`dashboard.pending`): its
    name is recorded in the same transaction as its totals, so a batch is added once only,
    whoever flushes it and however often. Kept a week, then deleted by the flush."""

    name = models.CharField(max_length=100, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.name
