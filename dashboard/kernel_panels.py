"""The panels that need only the kernel: the calendar strip, dead letters, live findings."""

from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType as DjangoContentType
from django.db.models import Count, Value
from django.urls import NoReverseMatch, reverse

from dashboard.calendar import calendar_context
from dashboard.models import LiveFinding
from dashboard.panels import register_panel
from dashboard.readers import chosen_days, readers_context
from outbox.delivery import OutboxState, outbox_models
from publishing.models import PublicationFields
from publishing.registry import content_types

# Findings listed by name; the rest are counted.
FINDINGS_SHOWN = 10


def _may_view(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def _admin_url(model, view="changelist", args=None, query=None):
    opts = model._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def dead_letters_context(request):
    """Each outbox the editor may view that holds messages that gave up, with its count.

    One query for every outbox (a UNION ALL of one COUNT each), not one per outbox: on a
    busy database each round trip costs more than the count itself.
    """
    viewable = sorted(
        (model for model in outbox_models() if _may_view(request.user, model)),
        key=lambda model: model._meta.verbose_name_plural,
    )
    if not viewable:
        return None
    counts = [
        model.objects.dead()
        .annotate(outbox=Value(n))
        .values("outbox")
        .annotate(count=Count("pk"))
        .values_list("outbox", "count")
        .order_by()
        for n, model in enumerate(viewable)
    ]
    found = dict(counts[0].union(*counts[1:], all=True)) if len(counts) > 1 else dict(counts[0])
    rows = []
    for n, model in enumerate(viewable):
        count = found.get(n, 0)
        if count:
            url = _admin_url(model, query={"state__exact": OutboxState.FAILED})
            opts = model._meta
            label = opts.verbose_name if count == 1 else opts.verbose_name_plural
            rows.append({"label": label, "count": count, "url": url})
    return {"rows": rows}


def findings_context(request):
    """The live items with findings, of the types the editor may view, most findings first."""
    viewable = {
        content_type.model: content_type
        for content_type in content_types()
        if issubclass(content_type.model, PublicationFields)
        and _may_view(request.user, content_type.model)
    }
    # One query for the types the process has not looked up yet, not one per type.
    django_types = DjangoContentType.objects.get_for_models(*viewable)
    allowed = {django_types[model].pk: content_type for model, content_type in viewable.items()}
    if not allowed:
        return None
    rows = LiveFinding.objects.filter(content_type__in=list(allowed))
    total = rows.count()
    items = [
        {
            "title": row.title,
            "count": row.count,
            "summary": row.summary.splitlines(),
            "type": allowed[row.content_type_id].label,
            "url": _admin_url(allowed[row.content_type_id].model, "change", args=[row.object_id]),
        }
        for row in rows[:FINDINGS_SHOWN]
    ]
    return {"items": items, "total": total, "more": max(total - len(items), 0)}


def register():
    register_panel(
        "calendar",
        title="The next 14 days",
        template="dashboard/calendar.html",
        context=calendar_context,
        order=10,
    )
    register_panel(
        "findings",
        title="Live items with something to fix",
        template="dashboard/findings.html",
        context=findings_context,
        order=60,
    )
    register_panel(
        "dead-letters",
        title="Mail that could not be sent",
        template="dashboard/dead_letters.html",
        context=dead_letters_context,
        order=70,
    )
    register_panel(
        "readers",
        title="What readers did",
        template="dashboard/readers.html",
        context=readers_context,
        order=200,
        permission="dashboard.view_dailycount",
        cached=True,
        vary=lambda request: str(chosen_days(request)),
    )
