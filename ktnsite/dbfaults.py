"""Database faults: a read whose connection died is retried once; a database out of reach answers 503, not 500."""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

# What a lost or refused connection raises (Django wraps the driver's errors in these); an
# error in the SQL itself (ProgrammingError, IntegrityError, DataError) is a bug, not a fault.
FAULTS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10
SAFE_METHODS = ("GET", "HEAD")


def is_fault(error):
    return isinstance(error, FAULTS)


def close_broken_connections():
    """Close every connection the database no longer answers on, so the next query opens a
    fresh one (a connection killed by the server, a restart, a failover)."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()


def unavailable():
    """503 with Retry-After: the page is fine, the database is not, so try again shortly.
    Drawn without a request context, whose processors would ask the database again."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseFaultMiddleware:
    """A GET or HEAD whose view (or its template) lost the database connection is run once
    more on a fresh connection; if that fails too, or the request would write, the answer is
    503 with Retry-After. A fault outside any view (another middleware's query) reaches
    ktnsite.views.server_error, which answers 503 the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_fault(exception):
            return None
        close_broken_connections()
        match = getattr(request, "resolver_match", None)
        if request.method in SAFE_METHODS and match is not None:
            logger.warning("Database fault on %s, retried once: %s", request.path, exception)
            try:
                response = match.func(request, *match.args, **match.kwargs)
                if callable(getattr(response, "render", None)):
                    response = response.render()
            except FAULTS as again:
                close_broken_connections()
                logger.error("Database fault on %s again, 503: %s", request.path, again)
            else:
                return response
        else:
            logger.error(
                "Database fault on %s %s, 503: %s", request.method, request.path, exception
            )
        return unavailable()
