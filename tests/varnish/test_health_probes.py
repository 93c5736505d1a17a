"""Through a real Varnish: the health probes are never kept, and the public gets no details."""

import json

import pytest

from tests.factories import jobs_fresh, make_enquiry
from tests.varnish.conftest import request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def jobs_on_time():
    # The scheduled jobs' rows may date from the session's migrate: overdue in a long run.
    jobs_fresh()


def ready(varnish, **headers):
    # From 127.0.0.2: a reader's machine, not in HEALTH_DETAIL_ADDRESSES (loopback only).
    status, headers, body = request(
        varnish.url, "/health/ready", headers=headers, source="127.0.0.2"
    )
    return status, headers, json.loads(body)


def test_readiness_through_varnish_is_fetched_anew_and_tells_the_public_nothing(
    through_varnish, settings
):
    settings.CLIENT_IP_PROXY_COUNT = 1  # as production behind this Varnish
    settings.HEALTH_TOKEN = "probe-token"
    assert ready(through_varnish)[0] == 200
    status, headers, body = ready(through_varnish)
    assert (status, headers["x-cache"], body) == (200, "MISS", {"status": "ok"})
    assert "no-store" in headers["cache-control"] and "xkey" not in headers
    make_enquiry(state="failed")
    status, headers, body = ready(through_varnish)
    assert (status, headers["x-cache"], body) == (503, "MISS", {"status": "unavailable"})
    status, _headers, body = ready(through_varnish, Authorization="Bearer probe-token")
    assert body["failed"] == ["outbox"]


def test_liveness_through_varnish_is_never_kept(through_varnish):
    for _ in range(2):
        status, headers, body = request(through_varnish.url, "/health/live")
        assert (status, headers["x-cache"], json.loads(body)) == (200, "MISS", {"status": "ok"})
