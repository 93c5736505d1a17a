"""Apply links checked by a scheduled job against a real HTTP server on loopback: broken ones shown to editors, never to readers' cost."""

import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from opportunities.linkcheck import apply_links_check, check_url
from opportunities.models import ApplyLinkCheck, Opportunity
from scheduling import registered_jobs
from tests.factories import make_opportunity, make_staff

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    """/ok 200, /gone 404, /error 500, /slow waits, /no-head refuses HEAD, /moved and /loop redirect."""

    def _answer(self):
        self.server.seen.append((self.command, self.path))
        path = self.path
        if path == "/slow":
            time.sleep(1.5)
        if path == "/no-head" and self.command == "HEAD":
            status, headers = 405, {}
        elif path == "/moved":
            status, headers = 302, {"Location": "/ok"}
        elif path == "/loop":
            status, headers = 302, {"Location": "/loop"}
        else:
            status = {"/gone": 404, "/error": 500}.get(path, 200)
            headers = {}
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer  # noqa: N815 - http.server's names

    def log_message(self, *args):
        pass


@pytest.fixture
def web(settings):
    """A real HTTP server on 127.0.0.1 (private addresses allowed for this test only)."""
    settings.OPPORTUNITY_LINK_CHECK_PRIVATE = True
    settings.OPPORTUNITY_LINK_CHECK_TIMEOUT = 0.5
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("path", "ok", "status", "error"),
    [
        ("/ok", True, 200, ""),
        ("/gone", False, 404, "answered 404"),
        ("/error", False, 500, "answered 500"),
        ("/no-head", True, 200, ""),
        ("/moved", True, 200, ""),
        ("/loop", False, None, "more than 5 redirects"),
        ("/slow", False, None, "no answer within 0.5 s"),
    ],
)
def test_each_answer_is_read_right(web, path, ok, status, error):
    answer = check_url(web.base + path)
    assert (answer.ok, answer.status, answer.error) == (ok, status, error)


def test_nothing_is_fetched_from_a_private_address_or_another_scheme(web, settings):
    settings.OPPORTUNITY_LINK_CHECK_PRIVATE = False
    for url in (web.base + "/ok", web.base.replace("127.0.0.1", "localhost") + "/ok"):
        answer = check_url(url)
        assert not answer.ok and "private address" in answer.error
    for url in ("file:///etc/passwd", "ftp://example.org/", "gopher://127.0.0.1/"):
        answer = check_url(url)
        assert not answer.ok and "only http and https" in answer.error
    assert web.seen == []


def test_the_job_is_scheduled_and_flags_broken_links_to_editors_only(web, client):
    assert "check_apply_links" in registered_jobs()
    fine = make_opportunity(title="Fine call")
    broken = make_opportunity(title="Broken call")
    closed = make_opportunity(
        title="Closed call", opens_in=-timedelta(days=20), closes_in=-timedelta(days=1)
    )
    # The tests' server speaks http; the form insists on https, so the rows are set directly.
    Opportunity.objects.filter(pk=fine.pk).update(apply_url=web.base + "/ok")
    Opportunity.objects.filter(pk=broken.pk).update(apply_url=web.base + "/gone")
    Opportunity.objects.filter(pk=closed.pk).update(apply_url=web.base + "/error")
    assert apply_links_check() == {"checked": 2, "broken": 1}
    assert not ApplyLinkCheck.objects.filter(opportunity=closed).exists()

    # Readers still get the link: the check never blocks them.
    page = client.get(broken.get_absolute_url())
    assert page.status_code == 200 and f'href="{web.base}/gone"' in page.text

    client.force_login(make_staff("ed", groups=["Editors"]))
    listing = client.get("/admin/opportunities/opportunity/?apply_link=broken")
    assert "Broken call" in listing.text and "Fine call" not in listing.text
    assert "Broken: answered 404" in listing.text
    home = client.get("/admin/")
    assert "Apply links that do not answer" in home.text and "Broken call" in home.text

    # Mended (the link changed): no longer flagged, until the next check says otherwise.
    Opportunity.objects.filter(pk=broken.pk).update(apply_url=web.base + "/ok")
    listing = client.get("/admin/opportunities/opportunity/?apply_link=broken")
    assert "Broken call" not in listing.text
    assert "Apply links that do not answer" not in client.get("/admin/").text
    assert apply_links_check() == {"checked": 2, "broken": 0}
