"""`{% dashboard_panels %}`: the admin home's panels; `{% item_readers %}`: one item's counts;
`{{ bars|chart_bars }}`, `{{ columns|chart_columns:width }}`: a chart's SVG elements."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from dashboard.panels import rendered_panels
from dashboard.readers import bars_svg, chosen_days, columns_svg, item_readers_context

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


@register.filter
def chart_bars(bars):
    """A bar chart's labels, bars and numbers (`dashboard.readers.bars()` rows)."""
    return bars_svg(bars)


@register.filter
def chart_columns(columns, width):
    """A column chart's columns (`dashboard.readers.columns()`), each `width` wide."""
    return columns_svg(columns, width)
