"""Contacts' panels on the editors' dashboard: enquiries waiting too long, and per month, per lead."""

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Min
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from contacts.models import Enquiry
from dashboard.panels import WORKING_DAYS_LATE, register_panel, working_days_before
from dashboard.readers import BAR_GAP, BAR_HEIGHT, bars

MONTHS = 6
LEADS_SHOWN = 15


def late_enquiries_context(request):
    """Leads with enquiries not marked handled after two working days, most waiting first."""
    cutoff = working_days_before(timezone.now(), WORKING_DAYS_LATE)
    changelist = reverse("admin:contacts_enquiry_changelist")
    leads = (
        Enquiry.objects.filter(handled_at__isnull=True, created_at__lt=cutoff)
        .values("contact_id", "contact__name")
        .annotate(count=Count("pk"), oldest=Min("created_at"))
        .order_by("-count", "oldest", "contact__name")
    )
    rows = [
        {
            "name": lead["contact__name"],
            "count": lead["count"],
            "oldest": lead["oldest"],
            "url": changelist
            + "?"
            + urlencode(
                {
                    "contact__id__exact": lead["contact_id"],
                    "handled": "no",
                    "created_at__lt": cutoff.isoformat(),
                }
            ),
        }
        for lead in leads
    ]
    return {"rows": rows, "working_days": WORKING_DAYS_LATE}


def _month_starts(today, months):
    """The first days of the last `months` months, oldest first, this month last."""
    starts, day = [], today.replace(day=1)
    for _ in range(months):
        starts.append(day)
        day = (day - timedelta(days=1)).replace(day=1)
    return starts[::-1]


def enquiries_per_month_context(request, *, today=None):
    """Enquiries readers sent to each lead per month (forwards left out: one reader's
    enquiry counts once), the last six months; one grouped query."""
    today = today or timezone.localdate()
    months = _month_starts(today, MONTHS)
    since = timezone.make_aware(datetime.combine(months[0], time.min))
    per_lead = {}
    for row in (
        Enquiry.objects.filter(created_at__gte=since, forwarded_from__isnull=True)
        .annotate(month=TruncMonth("created_at"))
        .values("contact_id", "contact__name", "month")
        .annotate(n=Count("pk"))
    ):
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        lead = per_lead.setdefault(row["contact_id"], {"label": row["contact__name"], "months": {}})
        lead["months"][month] = row["n"]
    changelist = reverse("admin:contacts_enquiry_changelist")
    rows = []
    for contact_id, lead in per_lead.items():
        counts = [lead["months"].get(month, 0) for month in months]
        rows.append(
            {
                "label": lead["label"],
                "months": counts,
                "value": sum(counts),
                "url": f"{changelist}?{urlencode({'contact__id__exact': contact_id})}",
            }
        )
    rows.sort(key=lambda row: (-row["value"], row["label"]))
    shown = bars(rows[:LEADS_SHOWN])
    return {
        "months": months,
        "leads": shown,
        "more": max(len(rows) - len(shown), 0),
        "leads_height": len(shown) * (BAR_HEIGHT + BAR_GAP),
    }


def register():
    register_panel(
        "late-enquiries",
        title="Enquiries waiting more than two working days",
        template="contacts/dashboard_late_enquiries.html",
        context=late_enquiries_context,
        order=30,
        permission="contacts.view_enquiry",
    )
    register_panel(
        "enquiries-per-month",
        title="Enquiries per lead, month by month",
        template="contacts/dashboard_enquiries_per_month.html",
        context=enquiries_per_month_context,
        order=220,
        permission="contacts.view_enquiry",
        cached=True,
    )
