"""The finder's filters and its pages, read by closing date and id (keyset), never by page number.

Open and upcoming calls are listed soonest deadline first, closed ones latest deadline
first. As in publishing.pagination, a page is addressed by the item it follows
(`?from=<closes_at>~<id>`) or precedes (`?to=`), so a page costs the same at any depth.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Aggregate, CharField, Exists, IntegerField, OuterRef, Q, Subquery
from django.http import Http404

from opportunities import deadlines
from opportunities.deadlines import State
from opportunities.models import Applicant, FundingBand, FundingType
from publishing import pagination
from publishing.widgets import PlainSelect
from topics.forms import TopicListFilterField

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
    topic = TopicListFilterField(error_messages={"invalid_choice": "There is no such topic."})
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

    def __init__(self, *args, funders=(), topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].choices = [("", "Any funder")] + [(f, f) for f in funders]
        self.fields["topic"].set_topics(topics)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("next") and cleaned.get("prev"):
            self.add_error("next", forms.ValidationError(BAD_KEY, code="invalid"))
        return cleaned


@dataclass
class Card:
    """What a call's card in the finder (includes/opportunity_card.html) shows beside the
    call's own columns, as readers see it at one moment: its state, the date that matters
    then (ISO, for <time>) and the line about it, its award or total and its topics."""

    state: State
    iso: str
    line: str
    award: str
    total: str
    topics: list


def card(opportunity, topics, now):
    """The Card of `opportunity` at `now`, with `topics` (its live topics, in order).

    Worked out once here, not by the model's properties from the template: each of those
    reads the clock and the state again, which was most of a card's cost.
    """
    state = deadlines.state_at(opportunity.opens_at, opportunity.closes_at, now)
    moment = opportunity.opens_at if state == State.UPCOMING else opportunity.closes_at
    award = opportunity.award_words
    return Card(
        state=state,
        iso=deadlines.london(moment).replace(microsecond=0).isoformat(),
        line=deadlines.state_line(opportunity.opens_at, opportunity.closes_at, now),
        award=award,
        total="" if award else opportunity.total_words,
        topics=topics,
    )


@dataclass
class FinderPage:
    object_list: list
    has_previous: bool
    has_next: bool
    # How many calls match the filters on every page, or None if not asked for.
    count: int | None = None

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


class RowCount(Subquery):
    """How many rows a queryset gives, as a column of another query: it refers to no outer
    row, so the database counts once (PostgreSQL's InitPlan), not once per row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.order_by().values("pk"), **kwargs)


class IdList(Aggregate):
    """The ids of a group as one text, "3,7,12": PostgreSQL's string_agg, SQLite's group_concat."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS text), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


def related_ids(model, relation):
    """A column listing the ids each row of `model` has in its many-to-many `relation`
    ("3,7,12", or None), as a subquery in the same query: the rows' topics with no query of
    their own (read back with ids_of)."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    return Subquery(
        through.objects.filter(**{own: OuterRef("pk")})
        .order_by()
        .values(own)
        .annotate(ids=IdList(other))
        .values("ids")
    )


def ids_of(text):
    return [int(pk) for pk in text.split(",")] if text else []


def _beyond(key, descending, *, inclusive=False):
    """After `key` in the list's order (closes_at then id, ascending or descending), or at it."""
    moment, pk = key
    pk_q = Q(**{f"pk__{'l' if descending else 'g'}t{'e' if inclusive else ''}": pk})
    if descending:
        return Q(closes_at__lte=moment) & (Q(closes_at__lt=moment) | pk_q)
    return Q(closes_at__gte=moment) & (Q(closes_at__gt=moment) | pk_q)


def _before(key, descending, *, inclusive=False):
    return _beyond(key, not descending, inclusive=inclusive)


def finder_page(
    queryset, *, size, descending=False, next_key=None, prev_key=None, count=False, columns=None
):
    """The page asked for, in one query of size + 1 rows from the closing-date index.

    The same query says, as columns computed once, whether any call lies on the far side of
    the key the page starts from (so whether there is a page before, or after) and, with
    `count`, how many calls match at all; the rows are ordered, filtered `queryset` rows,
    with `columns` (annotations) of their own, kept out of the count and the look beyond.
    """
    forwards = ("-closes_at", "-pk") if descending else ("closes_at", "pk")
    backwards = ("closes_at", "pk") if descending else ("-closes_at", "-pk")
    columns = {**(columns or {}), **({"finder_count": RowCount(queryset)} if count else {})}
    key = prev_key if prev_key is not None else next_key
    if key is not None:
        # A call before the one after `next_key` is one at or before `next_key` (and one
        # after the last before `prev_key` is one at or after it): the page needs no
        # second look once it is read.
        if prev_key is None:
            far_side = _before(key, descending, inclusive=True)
        else:
            far_side = _beyond(key, descending, inclusive=True)
        columns["finder_far_side"] = Exists(queryset.order_by().filter(far_side))
    if prev_key is not None:
        rows = list(
            queryset.filter(_before(prev_key, descending))
            .annotate(**columns)
            .order_by(*backwards)[: size + 1]
        )
        if not rows:
            raise Http404("Nothing before that page.")
        has_previous = len(rows) > size
        rows = rows[:size][::-1]
        has_next = rows[0].finder_far_side
    else:
        ordered = queryset.annotate(**columns).order_by(*forwards)
        rows = list(
            (ordered.filter(_beyond(next_key, descending)) if next_key else ordered)[: size + 1]
        )
        if not rows and next_key is not None:
            raise Http404("Nothing after that page.")
        has_next = len(rows) > size
        rows = rows[:size]
        has_previous = next_key is not None and rows[0].finder_far_side
    total = (rows[0].finder_count if rows else 0) if count else None
    return FinderPage(rows, has_previous=has_previous, has_next=has_next, count=total)
