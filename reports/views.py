"""Public pages for reports: the list, each report's page and its download."""

import logging
import re

from django.conf import settings
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.views.generic import DetailView, ListView

from caching.frontcache import add_surrogate_keys
from dashboard.counts import count_download
from publishing.addresses import fixed_url
from publishing.backlinks import backlink_keys, backlinks
from publishing.pagination import years_with_items
from publishing.registry import item_key, list_key
from publishing.sharing import breadcrumbs, share_image
from publishing.views import KeysetListMixin, PublishableDetailMixin
from reports.forms import ReportFilterForm
from reports.models import Report
from reports.seo import report_json_ld
from reports.services import report_download_record
from topics.models import Topic

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
# One byte range: "bytes=0-499", "bytes=500-" or "bytes=-500" (the last 500 bytes).
SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class ReportListView(KeysetListMixin, ListView):
    context_object_name = "report_list"

    def get(self, request, *args, **kwargs):
        add_surrogate_keys(request, list_key(Report))
        if any(value == "" for value in request.GET.values()):
            # The form sends "All topics" as topic=; drop empty filters so the address
            # stays readable and shareable: /reports/?year=2021
            kept = request.GET.copy()
            for key in [key for key, value in request.GET.items() if value == ""]:
                del kept[key]
            return redirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)
        # Only the years that have reports, as the filter offers them.
        years = years_with_items(Report.objects.live())
        self.filters = ReportFilterForm(request.GET or None, years=years)
        response = super().get(request, *args, **kwargs)
        if self.filters.is_bound and not self.filters.is_valid():
            response.status_code = 400
        return response

    def get_queryset(self):
        # Not the extracted text and search vector: a list shows neither.
        queryset = (
            Report.objects.live()
            .defer("extracted_text", "search_vector")
            # A list on each report, not the related manager's cache: filling that made a
            # queryset per report, and the card another on each `report.topics.all`.
            .prefetch_related(
                Prefetch("topics", Topic.objects.live().only("name", "slug"), to_attr="card_topics")
            )
        )
        if self.filters.is_valid():
            if topic := self.filters.cleaned_data["topic"]:
                queryset = queryset.filter(topics=topic)
            if year := self.filters.cleaned_data["year"]:
                queryset = queryset.filter(publish_at__year=year)
        elif self.filters.is_bound:
            queryset = queryset.none()
        return queryset

    def get_context_data(self, **kwargs):
        cleaned = self.filters.cleaned_data if self.filters.is_valid() else {}
        topic, year = cleaned.get("topic"), cleaned.get("year")
        meta_title = "Reports" + (f": {topic.name}" if topic else "") + (f" {year}" if year else "")
        description = (
            f"Reports and publications from {settings.SITE_NAME}"
            + (f" on {topic.name}" if topic else "")
            + (f" from {year}" if year else "")
            + ", to read online or download."
        )
        return self.keyset_context(meta_title=meta_title, description=description, **kwargs)


class ReportDetailView(PublishableDetailMixin, DetailView):
    model = Report

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("accessible_format_contact", "cover_image")
            .prefetch_related(Prefetch("topics", Topic.objects.live()))
            .defer("search_vector")
        )

    def get_context_data(self, **kwargs):
        report = self.object
        # The page lists the posts that announce the report (`backlink_keys`: registered by
        # news) and names a contact.
        add_surrogate_keys(
            self.request, report, report.accessible_format_contact, backlink_keys(Report)
        )
        return super().get_context_data(
            json_ld=report_json_ld(report),
            share_image=share_image(report.cover_image),
            posts=backlinks(report),  # registered by news (publishing.backlinks)
            breadcrumbs=breadcrumbs(
                [("Home", fixed_url("home")), ("Reports", fixed_url("reports:index"))],
                (report.title, report.get_absolute_url()),
            ),
            **kwargs,
        )


class ReportDownloadView(PublishableDetailMixin, DetailView):
    """The report's file as an attachment, streamed, with HEAD and single-range support.

    Django's FileResponse answers neither Range nor HEAD without reading, so this view
    does both. A download counts when a GET asks for the file from its first byte (a
    whole download, or the first part of a resumable one); HEAD and range requests that
    continue a download do not count, so resuming never inflates the figure; nor do
    editors' downloads of a report that is not yet live.
    """

    model = Report
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        try:
            handle = report.file.open("rb")
            size = report.file.size
        except (FileNotFoundError, ValueError, OSError) as exc:
            logger.error("Report %s has no file in storage: %r", report.pk, report.file.name)
            raise Http404("This report's file is not available.") from exc

        etag = quote_etag(f"{report.pk}-{size}-{int(report.updated_at.timestamp())}")
        start, end, status = 0, size - 1, 200
        if request.headers.get("Range") and self._if_range_matches(request, etag, report):
            wanted = byte_range(request.headers["Range"], size)
            if wanted == UNSATISFIABLE:
                handle.close()
                response = HttpResponse(status=416)
                response["Content-Range"] = f"bytes */{size}"
                return self._finish(response, report, etag)
            if wanted is not None:
                (start, end), status = wanted, 206

        length = end - start + 1
        if request.method == "HEAD":
            handle.close()
            response = HttpResponse(status=status)
        else:
            if start == 0 and report.is_live:  # an editor's preview is not a download
                report_download_record(report=report)
                # And by day, for the dashboard: no cookie, nothing about the reader.
                count_download(request, item_key(report), report.file_type)
            if status == 200:
                # FileResponse lets a WSGI server send the file with sendfile().
                response = FileResponse(handle, content_type=report.content_type)
                response.block_size = CHUNK_SIZE
            else:
                response = StreamingHttpResponse(_FileRange(handle, start, length), status=206)
        response["Content-Length"] = str(length)
        if status == 206:
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
        return self._finish(response, report, etag)

    def _finish(self, response, report, etag):
        response["Content-Type"] = report.content_type
        response["Content-Disposition"] = content_disposition_header(
            True, report.download_filename()
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Accept-Ranges"] = "bytes"
        response["ETag"] = etag
        response["Last-Modified"] = http_date(report.updated_at.timestamp())
        if report.is_live:
            # Browsers may keep the file; shared caches may not, or downloads they served
            # would go uncounted.
            patch_cache_control(response, private=True)
        else:
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _if_range_matches(request, etag, report):
        """A range applies only to the same version of the file the client already has."""
        validator = request.headers.get("If-Range")
        if not validator:
            return True
        return validator.strip() in (etag, http_date(report.updated_at.timestamp()))


UNSATISFIABLE = "unsatisfiable"


def byte_range(header, size):
    """(first, last) byte for a single-range Range header; None to send the whole file.

    Several ranges, or a form we do not parse, get the whole file (RFC 9110 lets a server
    ignore Range); a range that starts past the end is UNSATISFIABLE (416).
    """
    match = SINGLE_RANGE.match(header.strip())
    if not match or not (match[1] or match[2]):
        return None
    first, last = _position(match[1]), _position(match[2])
    if first is not None and last is not None and last < first:
        return None  # not a valid range: ignored, like a malformed one
    if first is not None:
        start, end = first, min(last, size - 1) if last is not None else size - 1
    else:
        start, end = max(0, size - last), size - 1
    if start >= size or start > end:
        return UNSATISFIABLE
    return start, end


# Larger than any file's size: a position with more digits than this means "past the end".
# (int() refuses strings of more than 4,300 digits, so such a header must never reach it.)
_FAR = 10**18


def _position(digits):
    if not digits:
        return None
    return int(digits) if len(digits) <= 18 else _FAR


class _FileRange:
    """Part of an open file, read in chunks; the response closes the file when done."""

    def __init__(self, handle, start, length):
        self.handle, self.start, self.length = handle, start, length

    def __iter__(self):
        self.handle.seek(self.start)
        left = self.length
        while left > 0:
            chunk = self.handle.read(min(CHUNK_SIZE, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk

    def close(self):
        self.handle.close()
