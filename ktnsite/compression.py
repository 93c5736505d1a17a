"""Gzip for pages, never for files: a download keeps its strong ETag, length and ranges."""

from django.middleware.gzip import GZipMiddleware


class PageGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, skipping any response that offers byte ranges.

    A range (Content-Range, If-Range) counts bytes of the file as stored; compressing the
    answer on the fly would send a gzip stream whose bytes no range matches, weaken the
    ETag (so If-Range stops matching and a resume gets the whole file) and drop
    Content-Length. Files served with Accept-Ranges (report downloads) go out as they are.
    """

    def process_response(self, request, response):
        if response.has_header("Accept-Ranges") or response.has_header("Content-Range"):
            return response
        return super().process_response(request, response)
