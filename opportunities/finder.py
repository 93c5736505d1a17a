"""The finder's filters and its pages, read by closing date and id (keyset), never by page number.

Open and upcoming calls are listed soonest deadline first, closed ones latest deadline
first. As in publishing.pagination, a page is addressed by the item it follows
(`?from=<closes_at>~<id>`) or precedes (`?to=`), so a page costs the same at any depth.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.http import Http404

from opportunities.deadlines import State
from opportunities.models import Applicant, FundingBand, FundingType
from publishing import pagination
from publishing.widgets import PlainSelect
from topics.forms import TopicFilterField

BAD_KEY = "That page link is broken; start again from the first page."

# The finder's views of the list: "" (the default) is open and upcoming together.
STATE_CHOICES = [
    ("", "Open and upcoming"),
    (State.OPEN, "Open now"),
    (State.CLOSING_SOON, "Closing within a week"),
    (State.UPCOMING, "Upcoming"),
    (State.CLOSED, "Closed"),
]


def item_key(item):
    """A call's place in the finder, ordered by closing time."""
    return pagination.item_key(item, "closes_at")


class FinderForm(forms.Form):
    """/opportunities/?state=open&topic=net-zero&funder=Innovate+UK&type=grant&band=…&who=sme"""

    state = forms.ChoiceField(
        label="Applications",
        choices=STATE_CHOICES,
        required=False,
        widget=PlainSelect,
        error_messages={"invalid_choice": "Choose open, closing soon, upcoming or closed."},
    )
    topic = TopicFilterField(error_messages={"invalid_choice": "There is no such topic."})
    funder = forms.ChoiceField(
        label="Funder",
        required=False,
        widget=PlainSelect,
        error_messages={"invalid_choice": "No opportunity is funded by that funder."},
    )
    type = forms.ChoiceField(
        label="Funding type",
        choices=[("", "Any type"), *FundingType.choices],
        required=False,
        widget=PlainSelect,
        error_messages={"invalid_choice": "There is no such funding type."},
    )
    band = forms.ChoiceField(
        label="Award per project",
        choices=[("", "Any amount"), *FundingBand.choices],
        required=False,
        widget=PlainSelect,
        error_messages={"invalid_choice": "There is no such funding band."},
    )
    who = forms.ChoiceField(
        label="Who can apply",
        choices=[("", "Anyone"), *Applicant.choices],
        required=False,
        widget=PlainSelect,
        error_messages={"invalid_choice": "There is no such kind of organisation."},
    )
    next = pagination.KeyField(broken=BAD_KEY)
    prev = pagination.KeyField(broken=BAD_KEY)

    def __init__(self, *args, funders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].choices = [("", "Any funder")] + [(f, f) for f in funders]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("next") and cleaned.get("prev"):
            self.add_error("next", forms.ValidationError(BAD_KEY, code="invalid"))
        return cleaned


@dataclass
class FinderPage:
    object_list: list
    has_previous: bool
    has_next: bool

    @property
    def previous_key(self):
        return item_key(self.object_list[0]) if self.has_previous else None

    @property
    def next_key(self):
        return item_key(self.object_list[-1]) if self.has_next else None

    def has_other_pages(self):
        return self.has_previous or self.has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def _beyond(key, descending):
    """After `key` in the list's order (closes_at then id, ascending or descending)."""
    moment, pk = key
    if descending:
        return Q(closes_at__lte=moment) & (Q(closes_at__lt=moment) | Q(pk__lt=pk))
    return Q(closes_at__gte=moment) & (Q(closes_at__gt=moment) | Q(pk__gt=pk))


def _before(key, descending):
    return _beyond(key, not descending)


def finder_page(queryset, *, size, descending=False, next_key=None, prev_key=None):
    """The page asked for: at most two queries of size + 1 rows from the closing-date index."""
    forwards = ("-closes_at", "-pk") if descending else ("closes_at", "pk")
    backwards = ("closes_at", "pk") if descending else ("-closes_at", "-pk")
    if prev_key is not None:
        rows = list(queryset.filter(_before(prev_key, descending)).order_by(*backwards)[: size + 1])
        if not rows:
            raise Http404("Nothing before that page.")
        has_previous = len(rows) > size
        rows = rows[:size][::-1]
        has_next = queryset.filter(_beyond((rows[-1].closes_at, rows[-1].pk), descending)).exists()
        return FinderPage(rows, has_previous=has_previous, has_next=has_next)
    ordered = queryset.order_by(*forwards)
    rows = list(
        (ordered.filter(_beyond(next_key, descending)) if next_key else ordered)[: size + 1]
    )
    if not rows and next_key is not None:
        raise Http404("Nothing after that page.")
    has_next = len(rows) > size
    rows = rows[:size]
    has_previous = next_key is not None and (
        queryset.filter(_before((rows[0].closes_at, rows[0].pk), descending)).exists()
    )
    return FinderPage(rows, has_previous=has_previous, has_next=has_next)
