"""`{% dashboard_panels %}`: the admin home's panels; `{% item_readers %}`: one item's counts;
`{{ bars|chart_bars }}`, `{{ columns|chart_columns:width }}`: a chart's SVG elements;
`{{ day|as_day:"D j M" }}`: a date as the `date` filter writes it, each once per process."""

from datetime import date
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

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


@lru_cache(maxsize=4096)
def _day(value, format, language):
    return date_format(value, format)


@register.filter
def as_day(value, format):
    """The `date` filter for a date (not a datetime: no time zone to apply), each (date,
    format, language) written once per process: the panels' tables write the same days on
    every visit, a year's span 730 times, and the `date` filter was a fifth of their time."""
    if type(value) is not date:
        return date_filter(value, format)
    return _day(value, format, get_language())
