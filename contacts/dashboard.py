"""Contacts' panel on the editors' dashboard: enquiries waiting too long, per lead."""

from urllib.parse import urlencode

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone

from contacts.models import Enquiry
from dashboard.panels import WORKING_DAYS_LATE, register_panel, working_days_before


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


def register():
    register_panel(
        "late-enquiries",
        title="Enquiries waiting more than two working days",
        template="contacts/dashboard_late_enquiries.html",
        context=late_enquiries_context,
        order=30,
        permission="contacts.view_enquiry",
    )
