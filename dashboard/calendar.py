"""The calendar strip: what goes live, is taken down, closes or starts in the coming days.

Read from the content registry, never from an app: every declared Publishable goes live at
`publish_at` (when scheduled) and is taken down at `expire_at`; a type adds its own dates with
`CalendarDate` in its declaration. An editor sees only the types they may view.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dashboard.panels import DAYS_AHEAD
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


def _change_url(model, pk):
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
    except NoReverseMatch:
        return ""


def calendar_entries(user, *, now=None, days=DAYS_AHEAD):
    """The entries `user` may see from `now` to `days` days on, soonest first."""
    now = now or timezone.now()
    end = now + timedelta(days=days)
    entries = []
    for content_type in _viewable(user):
        title_field = content_type.title_field
        for queryset, field, label in _dates(content_type):
            rows = (
                queryset.filter(**{f"{field}__gte": now, f"{field}__lt": end})
                .order_by(field, "pk")
                .values_list("pk", title_field, field)[:PER_QUERY]
            )
            for pk, title, when in rows:
                if not isinstance(when, datetime):  # a DateField: the start of that day
                    when = timezone.make_aware(datetime.combine(when, datetime.min.time()))
                entries.append(
                    Entry(
                        when,
                        title,
                        label,
                        content_type.label,
                        _change_url(content_type.model, pk),
                    )
                )
    entries.sort(key=lambda entry: entry.when)
    return entries


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
