"""Through a real Varnish: what reaches readers and what reaches the app (issue 22.4, 22.12,
22.17): no surrogate keys in readers' answers, a malformed session cookie gets the shared
public page, and the app reads the client's own address from the header Varnish sets."""

import pytest
from django.core.signals import request_started
from django.test import RequestFactory

from ktnsite.security import client_ip
from tests.factories import make_post, make_report
from tests.varnish.conftest import request

pytestmark = pytest.mark.django_db(transaction=True)


def test_readers_get_no_surrogate_keys(through_varnish, live_server):
    post = make_post(report=make_report())
    for path in [post.get_absolute_url(), post.report.get_absolute_url(), "/news/", "/"]:
        _status, direct, _body = request(live_server.url, path)
        assert "surrogate-key" in direct  # the app names them, for Varnish
        for _ in range(2):  # the miss, then the hit
            status, headers, _body = request(through_varnish.url, path)
            assert status == 200, path
            assert not {"surrogate-key", "xkey", "cache-tag"} & set(headers), path


@pytest.mark.parametrize("cookie", ['"abc\\000def"', "abc\\000def", "x" * 300, "a'b"])
def test_a_malformed_session_cookie_gets_the_shared_public_page(through_varnish, cookie):
    post = make_post(title="Read by anyone")
    url = post.get_absolute_url()
    request(through_varnish.url, url)
    status, headers, body = request(
        through_varnish.url, url, headers={"Cookie": f"sessionid={cookie}"}
    )
    assert (status, headers["x-cache"]) == (200, "HIT")
    assert b"Read by anyone" in body


def test_a_well_formed_session_cookie_still_reaches_the_app(through_varnish):
    url = make_post().get_absolute_url()
    request(through_varnish.url, url)
    _status, headers, _body = request(
        through_varnish.url, url, headers={"Cookie": "sessionid=" + "a1" * 16}
    )
    assert headers["x-cache"] == "MISS"


def test_the_app_trusts_the_address_varnish_saw_not_the_one_a_client_claims(
    through_varnish, settings
):
    seen = []

    def record(sender, environ, **kwargs):
        seen.append({k: environ.get(k) for k in ("REMOTE_ADDR", "HTTP_X_FORWARDED_FOR")})

    request_started.connect(record)
    try:
        request(
            through_varnish.url,
            "/admin/login/",  # always passed to the app
            headers={"X-Forwarded-For": "203.0.113.9"},
            source="127.0.0.2",
        )
    finally:
        request_started.disconnect(record)
    settings.CLIENT_IP_PROXY_COUNT = 1  # one Varnish in front, as deploy/varnish says
    meta = {k: v for k, v in seen[-1].items() if v}
    assert client_ip(RequestFactory().get("/", **meta)) == "127.0.0.2"
