"""Opportunities' panel on the editors' dashboard: open and upcoming calls whose apply link is broken."""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from dashboard.panels import register_panel
from opportunities.models import Opportunity

SHOWN = 10


def broken_links_context(request):
    """Live calls not yet closed whose current apply link failed its last check; None (no
    panel) when every link answers."""
    rows = list(
        Opportunity.objects.live()
        .not_closed(timezone.now())
        .filter(apply_link_check__ok=False, apply_link_check__url=F("apply_url"))
        .order_by("closes_at", "pk")
        .values("pk", "title", "apply_link_check__error")[: SHOWN + 1]
    )
    if not rows:
        return None
    return {
        "rows": [
            {
                "title": row["title"],
                "error": row["apply_link_check__error"],
                "url": reverse("admin:opportunities_opportunity_change", args=[row["pk"]]),
            }
            for row in rows[:SHOWN]
        ],
        "more": len(rows) > SHOWN,
        "all_url": reverse("admin:opportunities_opportunity_changelist") + "?apply_link=broken",
    }


def register():
    register_panel(
        "broken-apply-links",
        title="Apply links that do not answer",
        template="opportunities/dashboard_broken_links.html",
        context=broken_links_context,
        order=35,
        permission="opportunities.change_opportunity",
    )
