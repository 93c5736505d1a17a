"""Keyset pagination for lists newest first: a page is addressed by the item it follows, never counted.

Counting a list to number its pages reads every matching row (or index entry), so the cost
of page 1 grew with the table: 19 ms over 100,000 posts, 44 ms over 300,000. A page here
is "the 10 items just older (or newer) than this one", found by walking the date index from
that point and stopping, so it costs the same at any size and any depth. The address names
the item's date and id, not its position, so it stays valid when items are published or
removed in between (a shared link shows the same items unless one of them goes).

Addresses: no parameter is the newest page; ?before=<key> the items older than <key>;
?after=<key> the items newer than <key>; ?page=last the oldest items. <key> is the item's
publish_at in UTC and its id: 2021-10-14T09:00:00.000000Z~123. A list may be ordered by
another date (events by their start) and soonest first (keyset_page's field and ascending).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django import forms
from django.db import connection
from django.db.models import Max, Min, Q
from django.http import Http404
from django.utils.timezone import localtime

KEY_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
BAD_KEY = "That page link is broken; start again from the newest."


def item_key(item, field="publish_at"):
    """The address of `item` in a list ordered by `field`: that date in UTC and its id."""
    return f"{getattr(item, field).astimezone(UTC).strftime(KEY_FORMAT)}~{item.pk}"


class KeyField(forms.CharField):
    """A ?before= or ?after= key, read as (publish_at, pk); a garbled one is a clear error."""

    def __init__(self, *, broken=BAD_KEY, **kwargs):
        self.broken = broken  # what a reader is told of a garbled key
        super().__init__(required=False, widget=forms.HiddenInput, label="Page", **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        when, _, pk = value.partition("~")
        try:
            moment = datetime.strptime(when, KEY_FORMAT).replace(tzinfo=UTC)
            pk = int(pk)
        except ValueError as exc:
            raise forms.ValidationError(self.broken, code="invalid") from exc
        if not 0 < pk < 2**63:
            raise forms.ValidationError(self.broken, code="invalid")
        return moment, pk


class PageFieldsForm(forms.Form):
    """The page-addressing fields, for a list's filter form to inherit."""

    before = KeyField()
    after = KeyField()
    page = forms.ChoiceField(
        required=False,
        choices=[("", "Newest"), ("1", "Newest"), ("last", "Oldest")],
        widget=forms.HiddenInput,
        label="Page",
        error_messages={
            # Numbered pages (?page=2) are gone: they needed a count of the whole list.
            "invalid_choice": "Pages are no longer numbered; use the Older and Newer links."
        },
    )

    def clean(self):
        cleaned = super().clean()
        if (
            sum(bool(cleaned.get(name)) for name in ("before", "after"))
            + (cleaned.get("page") == "last")
            > 1
        ):
            # On a field, as the list pages show their filters' errors field by field.
            self.add_error("page", forms.ValidationError(BAD_KEY, code="invalid"))
        return cleaned

    def page_request(self):
        """(before, after, last) from the cleaned data; nothing when the form is invalid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("before"), data.get("after"), data.get("page") == "last"


def _older(key, field="publish_at"):
    moment, pk = key
    # The redundant field <= moment bounds the index range; the OR settles ties.
    return Q(**{f"{field}__lte": moment}) & (Q(**{f"{field}__lt": moment}) | Q(pk__lt=pk))


def _newer(key, field="publish_at"):
    moment, pk = key
    return Q(**{f"{field}__gte": moment}) & (Q(**{f"{field}__gt": moment}) | Q(pk__gt=pk))


@dataclass
class KeysetPage:
    """One page of a list and what lies either side of it.

    "Newer" and "older" name the two directions of a newest-first list (the first page is
    the newest); a list ordered soonest first (events to come) uses them the same way, the
    first page being the soonest.
    """

    object_list: list
    has_newer: bool
    has_older: bool
    field: str = "publish_at"

    @property
    def newer_key(self):
        return item_key(self.object_list[0], self.field) if self.has_newer else None

    @property
    def older_key(self):
        return item_key(self.object_list[-1], self.field) if self.has_older else None

    def has_other_pages(self):
        return self.has_newer or self.has_older

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def keyset_page(
    queryset, *, size, before=None, after=None, last=False, field="publish_at", ascending=False
):
    """The page of `queryset` asked for, in the order of `field` then pk: newest first, or
    soonest first when `ascending` (then ?before= leads on to later items, ?page=last to the
    latest ones).

    Two queries at most (the page, and whether anything lies beyond its other side), each
    reading size + 1 rows from the date index, whatever the list's length. A key past the
    end of the list (every item beyond it was removed, or it was made up) is a 404, as a
    page number past the last one is with Django's paginator.
    """
    first, other = ("", "-") if ascending else ("-", "")
    shown_order = queryset.order_by(f"{first}{field}", f"{first}pk")
    reverse_order = queryset.order_by(f"{other}{field}", f"{other}pk")
    onward = _newer if ascending else _older  # further down the list as shown
    backward = _older if ascending else _newer

    def key(item):
        return getattr(item, field), item.pk

    if after is not None or last:
        rows = list(
            (reverse_order.filter(backward(after, field)) if after else reverse_order)[: size + 1]
        )
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        if after is not None and not has_newer and len(rows) < size:
            # The top of the list: show the first full page rather than a short one.
            return keyset_page(queryset, size=size, field=field, ascending=ascending)
        if not rows and after is not None:
            raise Http404("Nothing newer than that page.")
        has_older = (
            bool(rows) and not last and shown_order.filter(onward(key(rows[-1]), field)).exists()
        )
        return KeysetPage(rows, has_newer=has_newer, has_older=has_older, field=field)
    rows = list((shown_order.filter(onward(before, field)) if before else shown_order)[: size + 1])
    if not rows and before is not None:
        raise Http404("Nothing older than that page.")
    has_older = len(rows) > size
    rows = rows[:size]
    has_newer = before is not None and reverse_order.filter(backward(key(rows[0]), field)).exists()
    return KeysetPage(rows, has_newer=has_newer, has_older=has_older, field=field)


def years_spanned(queryset):
    """The years from the newest item of `queryset` back to its oldest, newest first.

    From the first and last dates (two ends of the date index) rather than the distinct
    years of every item, which reads them all. A year in between with no items is simply
    an empty page.
    """
    span = queryset.aggregate(first=Min("publish_at"), last=Max("publish_at"))
    if span["first"] is None:
        return []
    return list(range(localtime(span["last"]).year, localtime(span["first"]).year - 1, -1))


def years_with_items(queryset):
    """The years in which `queryset` has items, newest first, without reading every item.

    One probe of the date index per year between the first and the last (a single query,
    the probes joined by UNION ALL) rather than the distinct years of every item. SQLite
    cannot put a LIMIT in a UNION: there, on the small sites it serves, every date is read.
    """
    years = years_spanned(queryset)
    if len(years) <= 1:
        return years
    if not connection.features.supports_slicing_ordering_in_compound:
        return [day.year for day in queryset.dates("publish_at", "year", order="DESC")]
    return sorted(
        {localtime(moment).year for moment in _first_of_each(queryset, years)}, reverse=True
    )


def _first_of_each(queryset, years):
    """One item's publish_at in each of `years` that has any: the probes joined by UNION ALL,
    the SQL Django writes for the union of one probe per year.

    The ORM compiles one probe and the year's bounds are swapped in for each other year:
    compiling a query per year was a third of the reports list's Python time (11 years).
    """
    probe = queryset.filter(publish_at__year=years[0]).order_by().values_list("publish_at")[:1]
    sql, params = probe.query.sql_with_params()
    bounds = connection.ops.year_lookup_bounds_for_datetime_field
    if list(params[-2:]) != bounds(years[0]):
        # The year's condition was not compiled last, as filter() appends it: let the
        # ORM write every probe.
        probes = [
            queryset.filter(publish_at__year=year).order_by().values_list("publish_at")[:1]
            for year in years
        ]
        return [moment for (moment,) in probes[0].union(*probes[1:], all=True)]
    common = list(params[:-2])
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join([f"({sql})"] * len(years)),
            [value for year in years for value in (*common, *bounds(year))],
        )
        return [moment for (moment,) in cursor.fetchall()]
