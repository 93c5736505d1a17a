"""`{% dashboard_panels %}`: the admin home's panels, those the signed-in editor may see."""

from django import template
from django.template.loader import render_to_string

from dashboard.panels import rendered_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_panels(context):
    request = context.get("request")
    if request is None or not getattr(request.user, "is_staff", False):
        return ""
    shown = rendered_panels(request)
    if not shown:
        return ""
    return render_to_string("dashboard/home.html", {"panels": shown}, request=request)
