"""Request ids and log lines (ktnsite.logs): one JSON object per line, nothing private in them."""

import io
import json
import logging.config
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from ktnsite.logs import logging_config
from publishing.services import preview_link_create
from tests.factories import enquiry_form_data, make_contact, make_post, signed_in

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_log():
    """The site's logging as LOG_FORMAT=json sets it up, its one handler writing to a buffer;
    returns a reader of the lines written so far."""
    logging.config.dictConfig(logging_config("json", "INFO"))
    [console] = logging.getLogger().handlers
    buffer = io.StringIO()
    console.setStream(buffer)

    def lines():
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line]

    yield lines
    logging.config.dictConfig(django_settings.LOGGING)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "ktnsite.request"]


def test_a_sane_request_id_is_kept_and_returned(client):
    response = client.get("/news/", HTTP_X_REQUEST_ID="v1733500000-32770-123456")
    assert response["X-Request-ID"] == "v1733500000-32770-123456"


@pytest.mark.parametrize(
    "sent", ["", "a" * 129, "id with spaces", "<script>", "id\u00e9", "a;b", "../x"]
)
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(client, sent):
    headers = {"HTTP_X_REQUEST_ID": sent} if sent else {}
    first = client.get("/news/", **headers)["X-Request-ID"]
    second = client.get("/news/", **headers)["X-Request-ID"]
    assert first != second and first != sent
    assert len(first) == 32 and all(c in "0123456789abcdef" for c in first)


def test_each_request_is_one_json_line_with_id_method_path_status_and_duration(client, json_log):
    client.get("/news/?page=1", HTTP_X_REQUEST_ID="abc-123")
    [line] = request_lines(json_log())
    assert line["request_id"] == "abc-123"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/news/", 200)
    assert line["level"] == "INFO" and line["user_id"] is None
    assert 0 < line["duration_ms"] < 60_000
    assert line["timestamp"].startswith(str(timezone.now().year))


def test_a_signed_in_users_lines_carry_their_id_and_a_views_own_lines_the_request_id(
    json_log,
):
    client = signed_in("erin", perms=["news.view_post"])
    user_id = client.session["_auth_user_id"]
    client.get("/admin/", HTTP_X_REQUEST_ID="req-7")
    client.get("/news/does-not-exist/", HTTP_X_REQUEST_ID="req-8")
    lines = json_log()
    assert [(line["path"], line["user_id"]) for line in request_lines(lines)] == [
        ("/admin/", int(user_id)),
        ("/news/does-not-exist/", int(user_id)),
    ]
    # Django's own "Not Found" warning, logged inside the request, carries its id.
    [not_found] = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["request_id"] == "req-8" and not_found["level"] == "WARNING"


def test_a_newline_in_the_address_cannot_forge_a_plain_log_line(client):
    logging.config.dictConfig(logging_config("plain", "INFO"))
    try:
        [console] = logging.getLogger().handlers
        buffer = io.StringIO()
        console.setStream(buffer)
        client.get("/news/x%0A2026-12-06 INFO ktnsite.request GET /admin/ 200/")
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    # Two lines, ours and Django's "Not Found", each with the newline escaped: none forged.
    ours, django_s = buffer.getvalue().splitlines()
    assert " INFO ktnsite.request [request " in ours and ours.endswith(" 404")
    assert "GET /news/x\\x0a2026-12-06 INFO" in ours
    assert " WARNING django.request [request " in django_s


def test_a_preview_links_token_never_reaches_the_log(client, json_log):
    link = preview_link_create(item=make_post(status="draft"), user=None)
    assert client.get(link.get_absolute_url()).status_code == 200
    [line] = request_lines(json_log())
    assert line["path"] == "/preview/[token]/"
    assert link.token not in json.dumps(line)


def test_enquiries_sign_ups_and_logins_leave_no_address_message_password_or_token(
    client, json_log, smtp_server, django_capture_on_commit_callbacks
):
    contact = make_contact(email="karen.private@example.org")
    data = enquiry_form_data(
        email="ada.secret@example.com", message="My confidential pilot-line question"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(contact.get_absolute_url(), data).status_code == 302
        assert client.post("/mailing-list/", {"email": "reader.private@example.net",
                                              "consent": "on"}).status_code == 302  # fmt: skip
    client.post("/admin/login/", {"username": "guesser@example.com", "password": "hunter2-Secret!"})
    assert len(smtp_server.messages) >= 3  # the enquiry, its copy, the confirmation
    lines = json_log()
    assert {line["method"] for line in request_lines(lines)} == {"POST"}
    assert len(request_lines(lines)) == 3
    text = json.dumps(lines)
    for secret in (
        "karen.private",
        "ada.secret",
        "reader.private",
        "guesser@",
        "@example",
        "confidential pilot-line",
        "hunter2",
        data["token"],
    ):
        assert secret not in text, secret


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k != "LOG_FORMAT"}
    environment.update({"DJANGO_SECRET_KEY": "x", **env})
    return subprocess.run(  # noqa: S603 - our own arguments
        [sys.executable, "manage.py", *args],
        cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


SAY = "import logging; logging.getLogger('ktnsite.test').warning('Mail to a@b.example failed')"


def test_a_commands_lines_name_it_as_json_or_readable_text():
    result = _manage("shell", "--no-imports", "-c", SAY, LOG_FORMAT="json")
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["command"], line["level"], line["logger"]) == ("shell", "WARNING", "ktnsite.test")
    assert line["message"] == "Mail to [email] failed"
    plain = _manage("shell", "--no-imports", "-c", SAY).stderr.strip().splitlines()[-1]
    assert plain.endswith("WARNING ktnsite.test [command shell] Mail to [email] failed")


def test_an_unknown_log_format_stops_start_up_with_a_clear_message():
    result = _manage("check", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert result.stderr.strip() == "LOG_FORMAT: Input should be 'plain' or 'json' (got 'xml')"


def test_a_tasks_lines_name_the_task(json_log, settings):
    from caching.purge import purge_keys

    settings.FRONT_CACHE_PURGERS = [
        {"BACKEND": "caching.purge.HTTPPurger", "OPTIONS": {"url": "http://127.0.0.1:9/"}}
    ]
    settings.FRONT_CACHE_PURGE_ATTEMPTS = 1
    purge_keys.enqueue(keys=["post-1"])
    [failure] = [line for line in json_log() if line["logger"] == "caching.purge"][:1]
    assert failure["task"].startswith("caching.purge.purge_keys ")
