"""`{% dashboard_panels %}`: the admin home's panels; `{% item_readers %}`: one item's counts."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from dashboard.panels import rendered_panels
from dashboard.readers import chosen_days, item_readers_context

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_panels(context):
    request = context.get("request")
    if request is None or not getattr(request.user, "is_staff", False):
        return ""
    shown = rendered_panels(request)
    if not shown:
        return ""
    return render_to_string(
        "dashboard/home.html",
        {"panels": shown, "today": timezone.localdate()},
        request=request,
    )


@register.simple_tag(takes_context=True)
def item_readers(context, instance):
    """`{% item_readers original %}`: an item's views, downloads and referrers, on its
    change form, for staff who may see readers' counts."""
    request = context.get("request")
    if request is None:
        return ""
    shown = item_readers_context(request.user, instance, days=chosen_days(request))
    if shown is None:
        return ""
    return render_to_string("dashboard/item_readers.html", shown, request=request)
