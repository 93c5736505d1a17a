"""Public pages for reports: the list, each report's page and its download."""

import logging

from django.http import FileResponse, Http404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from publishing.views import PublishableDetailMixin
from reports.models import Report

logger = logging.getLogger(__name__)


class ReportListView(ListView):
    queryset = Report.objects.live().prefetch_related("topics")
    paginate_by = 10


class ReportDetailView(PublishableDetailMixin, DetailView):
    model = Report

    def get_queryset(self):
        return super().get_queryset().prefetch_related("topics")


class ReportDownloadView(PublishableDetailMixin, DetailView):
    model = Report

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        try:
            handle = report.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            logger.error("Report %s has no file on disk: %r", report.pk, report.file.name)
            raise Http404("This report's file is not available.") from exc
        response = FileResponse(handle, as_attachment=True, filename=report.download_filename())
        if not report.is_live:
            add_never_cache_headers(response)
        return response
