"""Readers counted behind a real Varnish: every download reaches the app and counts; a search
served from Varnish does not reach it (counted once per cached copy); no cookie either way."""

import pytest

from dashboard import pending
from dashboard.models import DailyCount
from tests.factories import make_report
from tests.varnish.conftest import request

pytestmark = pytest.mark.django_db(transaction=True)

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"}


def test_each_download_through_varnish_counts_and_sets_no_cookie(through_varnish):
    report = make_report()
    for _ in range(3):
        status, headers, _body = request(
            through_varnish.url, report.get_download_url(), headers=BROWSER
        )
        assert status == 200
        assert "set-cookie" not in headers
    assert DailyCount.objects.get(kind="download").count == 3


def test_a_search_varnish_serves_again_is_counted_once(through_varnish):
    path = "/search/?q=quantum+widgets"
    answers = [request(through_varnish.url, path, headers=BROWSER) for _ in range(3)]
    assert [headers["x-cache"] for _status, headers, _body in answers] == ["MISS", "HIT", "HIT"]
    assert not any("set-cookie" in headers for _status, headers, _body in answers)
    counted = dict(DailyCount.objects.values_list("kind", "count"))
    assert counted == {"search": 1, "search-none": 1}


def test_an_article_varnish_serves_again_still_counts_each_view_by_its_beacon(through_varnish):
    import http.client
    from urllib.parse import urlencode, urlsplit

    from tests.factories import make_post

    post = make_post(title="Heat pumps at scale")
    answers = [
        request(through_varnish.url, post.get_absolute_url(), headers=BROWSER) for _ in range(3)
    ]
    assert [headers["x-cache"] for _status, headers, _body in answers] == ["MISS", "HIT", "HIT"]
    # Every copy Varnish serves names the item for the page's beacon.
    assert all(f'data-count-item="post-{post.pk}"'.encode() in body for _s, _h, body in answers)
    parts = urlsplit(through_varnish.url)
    for came_from in ("www.google.com", "www.google.com", ""):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request(
            "POST",
            "/count/",
            body=urlencode({"item": f"post-{post.pk}", "from": came_from}),
            headers={**BROWSER, "Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        response.read()
        connection.close()
        assert response.status == 204
        assert response.getheader("Set-Cookie") is None
    pending.flush()  # what the one-minute job does: the views counted in Redis, stored
    assert DailyCount.objects.get(kind="view").count == 3
    from dashboard.models import ReferrerCount

    assert dict(ReferrerCount.objects.values_list("host", "count")) == {"google.com": 2, "": 1}


def test_a_reader_without_javascript_is_counted_by_the_noscript_image_through_varnish(
    through_varnish,
):
    import re

    from dashboard.models import ReferrerCount
    from tests.factories import make_post

    post = make_post(title="Heat pumps at scale")
    answers = [
        request(through_varnish.url, post.get_absolute_url(), headers=BROWSER) for _ in range(2)
    ]
    assert [headers["x-cache"] for _status, headers, _body in answers] == ["MISS", "HIT"]
    # The copy Varnish serves again asks a browser without script for the counting image.
    found = re.search(rb'<noscript><img src="([^"]+)"', answers[1][2])
    assert found and found.group(1).decode() == f"/count/view.gif?item=post-{post.pk}"
    images = [
        request(through_varnish.url, found.group(1).decode(), headers=BROWSER) for _ in range(3)
    ]
    for status, headers, body in images:
        assert (status, headers["content-type"]) == (200, "image/gif")
        assert headers["x-cache"] == "MISS" and "set-cookie" not in headers
        assert body.startswith(b"GIF89a")
    # Every image reached the app: Varnish never keeps the counter's answer.
    pending.flush()
    assert DailyCount.objects.get(kind="view").count == 3
    assert not ReferrerCount.objects.exists()
