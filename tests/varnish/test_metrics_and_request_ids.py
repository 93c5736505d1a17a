"""Through a real Varnish: the public gets no metrics, and every answer names its own request."""

import pytest

from tests.factories import make_post
from tests.varnish.conftest import request

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_gets_no_metrics_through_varnish_and_nothing_is_kept(through_varnish, settings):
    settings.CLIENT_IP_PROXY_COUNT = 1  # as production behind this Varnish
    settings.HEALTH_TOKEN = "scrape-token"
    for _ in range(2):
        # From 127.0.0.2: a reader's machine, not in HEALTH_DETAIL_ADDRESSES.
        status, headers, body = request(through_varnish.url, "/metrics", source="127.0.0.2")
        assert (status, headers["x-cache"]) == (403, "MISS")
        assert b"ktnsite_" not in body
    status, headers, body = request(
        through_varnish.url,
        "/metrics",
        source="127.0.0.2",
        headers={"Authorization": "Bearer scrape-token"},
    )
    assert status == 200 and b"ktnsite_outbox_messages" in body
    assert headers["cache-control"] == "no-store" and headers["x-cache"] == "MISS"


def test_loopback_through_an_untrusted_varnish_is_not_an_operator(through_varnish):
    # Without DJANGO_TRUSTED_PROXY_COUNT, Varnish's loopback address is not the reader's.
    status, _headers, body = request(through_varnish.url, "/metrics")
    assert status == 403 and b"ktnsite_" not in body


def test_varnish_gives_each_request_its_own_id_even_for_a_stored_page(through_varnish):
    post = make_post(status="published")
    path = post.get_absolute_url()
    status, first, _body = request(through_varnish.url, path)
    assert (status, first["x-cache"]) == (200, "MISS")
    status, second, _body = request(through_varnish.url, path)
    assert (status, second["x-cache"]) == (200, "HIT")
    assert first["x-request-id"].startswith("v") and second["x-request-id"].startswith("v")
    assert first["x-request-id"] != second["x-request-id"]
    # A sane id sent by the client (a load balancer in front) is kept; junk is replaced.
    kept = request(through_varnish.url, path, headers={"X-Request-ID": "lb-42.a"})[1]
    assert kept["x-request-id"] == "lb-42.a"
    replaced = request(through_varnish.url, path, headers={"X-Request-ID": "a b<c>"})[1]
    assert replaced["x-request-id"].startswith("v")
