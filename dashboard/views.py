"""The readers' figures as CSV: the same numbers as the dashboard's charts and tables."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils import timezone

from dashboard.readers import readers_context
from publishing.csvexport import csv_cell

PERMISSION = "dashboard.view_dailycount"


def _downloads(context):
    yield ["item type", "item", "downloads"]
    for bar in context["downloads"]:
        yield [bar["type"], bar["label"], bar["value"]]


def _searches(context):
    yield ["day", "searches"]
    for column in context["searches"]:
        yield [column["day"].isoformat(), column["value"]]


def _nothing_found(context):
    yield ["words", "times"]
    for row in context["nothing_found"]:
        yield [row["key"], row["total"]]


FIGURES = {"downloads": _downloads, "searches": _searches, "nothing-found": _nothing_found}


def readers_csv(request, figure):
    """One figure of "What readers did" (the last 30 days) as a CSV file; staff with the right."""
    if figure not in FIGURES:
        raise Http404("No such figure.")
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    context = readers_context(request)
    today = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="readers-{figure}-{today}.csv"'
    writer = csv.writer(response)
    for row in FIGURES[figure](context):
        writer.writerow([csv_cell(value) for value in row])
    return response
