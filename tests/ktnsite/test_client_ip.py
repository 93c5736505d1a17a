"""One client address for every limit: REMOTE_ADDR, or the trusted proxies' X-Forwarded-For entry."""

import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import RequestFactory

from contacts.models import Enquiry
from ktnsite.security import UNKNOWN_CLIENT, client_ip
from tests.factories import enquiry_form_data, make_contact

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
READER = "203.0.113.7"


def _ip(settings, proxies, remote=PROXY, **meta):
    settings.CLIENT_IP_PROXY_COUNT = proxies
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **meta))


def test_with_no_trusted_proxy_no_header_is_believed(settings):
    assert _ip(settings, 0, remote=READER, HTTP_X_FORWARDED_FOR="1.2.3.4") == READER


@pytest.mark.parametrize(
    ("proxies", "chain", "expected"),
    [
        (1, READER, READER),
        (1, f"9.9.9.9, {READER}", READER),  # the client's own claim is further left
        (1, f"9.9.9.9, 8.8.8.8, {READER}", READER),
        (2, f"9.9.9.9, {READER}, 10.0.0.1", READER),
        (1, f"[2001:db8::1]:443, {READER}:51234", READER),
        (1, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_behind_n_proxies_the_nth_entry_from_the_right_is_the_client(
    settings, proxies, chain, expected
):
    assert _ip(settings, proxies, HTTP_X_FORWARDED_FOR=chain) == expected


@pytest.mark.parametrize("chain", [None, "", "garbage", "unknown, ,", READER * 50, "1.2.3"])
def test_a_missing_or_malformed_header_falls_back_to_the_connection(settings, chain):
    meta = {} if chain is None else {"HTTP_X_FORWARDED_FOR": chain}
    assert _ip(settings, 1, **meta) == PROXY


def test_fewer_entries_than_proxies_falls_back_to_the_connection(settings):
    assert _ip(settings, 2, HTTP_X_FORWARDED_FOR=READER) == PROXY


def test_no_usable_address_at_all_still_gives_one(settings):
    assert _ip(settings, 0, remote="") == UNKNOWN_CLIENT == "0.0.0.0"  # noqa: S104
    assert _ip(settings, 1, remote="", HTTP_X_FORWARDED_FOR="nonsense") == UNKNOWN_CLIENT


def test_rate_limits_and_login_throttling_count_the_same_address(client, settings):
    """The enquiry limit and django-axes both see the reader, never the proxy; bad headers
    answer as usual, never 500."""
    settings.CLIENT_IP_PROXY_COUNT = 1
    settings.CONTACTS_ENQUIRY_RATE = "2/h"
    contact = make_contact()

    def send(chain):
        meta = {} if chain is None else {"HTTP_X_FORWARDED_FOR": chain}
        return client.post(
            contact.get_absolute_url(), enquiry_form_data(), REMOTE_ADDR=PROXY, **meta
        ).status_code

    assert [send(f"1.1.1.1, {READER}"), send(READER), send(f"5.5.5.5, {READER}")] == [
        302,
        302,
        429,
    ]
    assert send("198.51.100.9") == 302  # another reader behind the same proxy
    assert send(None) == 302  # no header: counted against the proxy, not an error
    assert send("not, an, address") == 302
    assert Enquiry.objects.count() == 5

    client.post(
        "/admin/login/",
        {"username": "eve", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"1.1.1.1, {READER}",
    )
    assert AccessAttempt.objects.get().ip_address == READER


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        # The configuration that answered 500 behind a proxy (issue 13, defect 5).
        ({"RATELIMIT_IP_META_KEY": "HTTP_X_FORWARDED_FOR"}, "HTTP_X_FORWARDED_FOR 1"),
        ({"DJANGO_TRUSTED_PROXY_COUNT": "2"}, "HTTP_X_FORWARDED_FOR 2"),
        ({}, "HTTP_X_FORWARDED_FOR 0"),
    ],
)
def test_the_proxy_settings_come_from_the_environment(env, expected):
    """What an operator sets reaches client_ip: the older one-header setting means one proxy."""
    keep = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from django.conf import settings; "
         "print(settings.CLIENT_IP_HEADER, settings.CLIENT_IP_PROXY_COUNT)"],
        cwd=django_settings.BASE_DIR, env={**keep, "DJANGO_SECRET_KEY": "x", **env},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == expected


PROXY_VARIABLES = {"RATELIMIT_IP_META_KEY", "DJANGO_TRUSTED_PROXY_COUNT", "DJANGO_CLIENT_IP_HEADER"}
