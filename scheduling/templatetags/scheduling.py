"""{% overdue_jobs as jobs %}: the scheduled jobs staff should hear about on the admin home."""

from django import template

from scheduling.runner import overdue_jobs as _overdue_jobs

register = template.Library()


@register.simple_tag
def overdue_jobs():
    return _overdue_jobs()
