"""Old addresses told apart by their query string alone (WordPress's /?p=123) answer 301 too."""

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.http import HttpResponseGone, HttpResponsePermanentRedirect

# The keys of WordPress's plain permalinks: a post, a page, an attachment.
QUERY_KEYS = frozenset({"p", "page_id", "attachment_id"})


class QueryRedirectMiddleware:
    """Answer `/?p=<id>` from django.contrib.redirects, before the home page does.

    Django's RedirectFallbackMiddleware acts only on a 404, and `/` with any query string is
    the home page (200), so these rows would never be reached. Only the home page with one
    of WordPress's keys costs a query; every other request passes straight through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and QUERY_KEYS.intersection(request.GET):
            redirect = (
                Redirect.objects.filter(site_id=settings.SITE_ID, old_path=request.get_full_path())
                .only("new_path")
                .first()
            )
            if redirect is not None:
                if not redirect.new_path:
                    return HttpResponseGone()
                return HttpResponsePermanentRedirect(redirect.new_path)
        return self.get_response(request)
