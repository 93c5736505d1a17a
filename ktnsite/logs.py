"""Log lines with their request id, task or command: plain for people, or JSON (LOG_FORMAT=json).

Every request gets an id: the front cache's `X-Request-ID` when it is a sane one (at most 128
letters, digits and `._:-`), otherwise a new one; it is returned in the response and carried
by every line logged while the request runs. A worker's lines carry the task being run, a
management command's its name. One line per request (logger `ktnsite.request`) says the
method, path, status, duration and the signed-in user's id. No line carries an email address
(any that a message or a traceback would hold is replaced), a query string (sign-up and
preview links hold tokens) or a token in the path (`/preview/<token>/`).
"""

import contextvars
import logging
import re
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Loose on purpose: anything that looks like an address is hidden, even in a traceback.
_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

request_id = contextvars.ContextVar("request_id", default=None)
task = contextvars.ContextVar("task", default=None)
_task_tokens = {}


def _command():
    # `manage.py NAME ...`: the command this process runs (none under gunicorn).
    argv = sys.argv
    if len(argv) > 1 and Path(argv[0]).name in ("manage.py", "django-admin"):
        return argv[1]
    return None


COMMAND = _command()


def valid_request_id(value):
    """`value` if it may serve as a request id (short, safe characters), else None."""
    if value and _REQUEST_ID.fullmatch(value):
        return value
    return None


def scrub(text):
    return _EMAIL.sub("[email]", text) if "@" in text else text


class ContextFilter(logging.Filter):
    """Adds request_id, task and command to every record (None when not in one)."""

    def filter(self, record):
        record.request_id = request_id.get()
        record.task = task.get()
        record.command = COMMAND
        return True


class PlainFormatter(logging.Formatter):
    """Readable lines: time, level, logger, [request, task or command], message."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(context)s%(message)s")

    def format(self, record):
        parts = [
            f"{name} {value}"
            for name, value in (
                ("request", getattr(record, "request_id", None)),
                ("task", getattr(record, "task", None)),
                ("command", getattr(record, "command", None)),
            )
            if value
        ]
        record.context = f"[{', '.join(parts)}] " if parts else ""
        return scrub(super().format(record))


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: timestamp, level, logger, message, context and extras."""

    def __init__(self):
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp=True,
        )

    def format(self, record):
        # After serialising: "[email]" needs no escaping, so the line stays valid JSON.
        return scrub(super().format(record))


def logging_config(log_format, level):
    """The LOGGING setting for LOG_FORMAT ("plain" or "json") and the root logger's level."""
    if log_format not in ("plain", "json"):
        raise ImproperlyConfigured(f'LOG_FORMAT must be "plain" or "json", not {log_format!r}')
    formatter = log_format
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": ContextFilter}},
        "formatters": {
            "plain": {"()": PlainFormatter},
            "json": {"()": JsonFormatter},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": formatter,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
            # Failed logins and lockouts are warnings; axes' per-start and per-login info
            # lines would fill every cron job's output.
            "axes": {"level": "WARNING"},
        },
    }


# --- tasks: the worker's lines say which task they come from ------------------------------


def task_started(sender, task_result, **kwargs):
    _task_tokens[task_result.id] = task.set(f"{task_result.task.module_path} {task_result.id}")


def task_finished(sender, task_result, **kwargs):
    token = _task_tokens.pop(task_result.id, None)
    if token is not None:
        task.reset(token)


def connect_signals():
    from django.core import signals as core_signals
    from django_tasks.signals import task_finished as finished
    from django_tasks.signals import task_started as started

    core_signals.request_finished.connect(request_finished, dispatch_uid="ktnsite-log-request")
    started.connect(task_started, dispatch_uid="ktnsite-log-task-started")
    finished.connect(task_finished, dispatch_uid="ktnsite-log-task-finished")


# --- requests -----------------------------------------------------------------------------

request_logger = logging.getLogger("ktnsite.request")


def _loggable_path(request):
    # The path without its query string; a URL argument that is a secret is replaced, and a
    # control character (a %0A in the address) is escaped, so no path can forge a log line.
    path = request.path
    if _CONTROL.search(path):
        path = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", path)
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if "token" in name and isinstance(value, str) and value:
                path = path.replace(value, "[token]")
    return path


def _user_id(request):
    # Only a user already loaded, or one a session cookie names: an anonymous reader's
    # request costs no session lookup for the sake of a log line.
    user = getattr(request, "user", None)
    if user is None:
        return None
    if getattr(user, "_wrapped", None) is empty and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    ):
        return None
    try:
        return user.pk if user.is_authenticated else None
    except Exception:
        return None  # a session store that is away does not lose the log line


class RequestLogMiddleware:
    """Gives each request its id (in `X-Request-ID` both ways) and logs one line for it."""

    def __init__(self, get_response):
        if not settings.LOG_REQUESTS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        # META, not request.headers: building the latter parses every header, on each request.
        rid = valid_request_id(request.META.get("HTTP_X_REQUEST_ID")) or uuid.uuid4().hex
        # Kept until the response is closed (request_finished), not just until this returns:
        # Django logs "Not Found" and server errors after the middleware has finished.
        request_id.set(rid)
        start = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = rid
        duration = time.perf_counter() - start
        path = _loggable_path(request)
        request_logger.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 2),
                "user_id": _user_id(request),
            },
        )
        return response


def request_finished(sender, **kwargs):
    request_id.set(None)
