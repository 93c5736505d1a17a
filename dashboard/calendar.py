"""The calendar strip: what goes live, is taken down, closes or starts in the coming days.

Read from the content registry, never from an app: every declared Publishable goes live at
`publish_at` (when scheduled) and is taken down at `expire_at`; a type adds its own dates with
`CalendarDate` in its declaration. An editor sees only the types they may view.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Cast
from django.utils import timezone

from dashboard.panels import DAYS_AHEAD, change_urls
from publishing.models import PublicationFields, Status
from publishing.registry import content_types

# Entries read per date of a type: a strip is read at a glance, the list behind has the rest.
PER_QUERY = 40


@dataclass(frozen=True)
class Entry:
    when: datetime
    title: str
    label: str  # "goes live", "is taken down", "closes"
    type_label: str  # "Report"
    url: str  # its change form


def _viewable(user):
    """The declared types whose rows `user` may view in the admin."""
    for content_type in content_types():
        opts = content_type.model._meta
        if user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        ):
            yield content_type


def _dates(content_type):
    """(queryset, field, label) for each date of the type the strip shows."""
    model = content_type.model
    if issubclass(model, PublicationFields):
        yield model.objects.filter(status=Status.PUBLISHED), "publish_at", "goes live"
        yield model.objects.filter(status=Status.PUBLISHED), "expire_at", "is taken down"
    for date in content_type.calendar:
        yield content_type.visible(), date.field, date.label


def calendar_entries(user, *, now=None, days=DAYS_AHEAD):
    """The entries `user` may see from `now` to `days` days on, soonest first.

    One query for every type and date: a UNION ALL of each (type, date)'s first PER_QUERY
    rows in the window (on SQLite each a `pk IN (… ORDER BY … LIMIT …)`, as SQLite allows no
    ORDER BY in a compound's parts), each row tagged with which (type, date) it is.
    """
    now = now or timezone.now()
    end = now + timedelta(days=days)
    parts, sources = [], []
    for content_type in _viewable(user):
        title_field = content_type.title_field
        urls = change_urls(content_type.model)
        for queryset, field, label in _dates(content_type):
            window = queryset.filter(**{f"{field}__gte": now, f"{field}__lt": end})
            is_date = not isinstance(content_type.model._meta.get_field(field), DateTimeField)
            when = Cast(field, DateTimeField()) if is_date else F(field)
            columns = {"_source": Value(len(sources)), "_title": F(title_field), "_when": when}
            if connection.features.supports_slicing_ordering_in_compound:
                # PostgreSQL: each part ordered and limited in the UNION itself.
                part = (
                    window.annotate(**columns)
                    .values_list("_source", "pk", "_title", "_when")
                    .order_by(field, "pk")[:PER_QUERY]
                )
            else:
                # SQLite: no ORDER BY or LIMIT in a compound's parts, but in a subquery.
                first = window.order_by(field, "pk").values("pk")[:PER_QUERY]
                part = (
                    content_type.model._default_manager.filter(pk__in=first)
                    .annotate(**columns)
                    .values_list("_source", "pk", "_title", "_when")
                    .order_by()
                )
            parts.append(part)
            sources.append((content_type, label, urls, is_date))
    if not parts:
        return []
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    entries = []
    for source, pk, title, when in rows:
        content_type, label, urls, is_date = sources[source]
        if is_date:  # a DateField: the start of that day in the site's time zone
            day = when.astimezone(UTC).date() if isinstance(when, datetime) else when
            when = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        entries.append((when, source, pk, Entry(when, title, label, content_type.label, urls(pk))))
    # Soonest first; at the same moment, in the registry's order of types and dates, as when
    # each was a query of its own.
    entries.sort(key=lambda row: row[:3])
    return [entry for *_order, entry in entries]


def calendar_days(entries, *, now=None, days=DAYS_AHEAD):
    """[(date, [entries])] for each of the coming `days` days (in the site's time zone)."""
    now = timezone.localtime(now or timezone.now())
    by_day = {}
    for entry in entries:
        by_day.setdefault(timezone.localtime(entry.when).date(), []).append(entry)
    return [
        (day, by_day.get(day, []))
        for day in (now.date() + timedelta(days=n) for n in range(days + 1))
    ]


def calendar_context(request):
    """The calendar panel's context; None for an editor who may view no content type."""
    if not any(True for _ in _viewable(request.user)):
        return None
    now = timezone.now()
    entries = calendar_entries(request.user, now=now)
    return {"days": calendar_days(entries, now=now), "count": len(entries)}
