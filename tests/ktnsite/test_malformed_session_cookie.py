"""A session cookie that cannot be a session (a NUL, quotes, junk) is no session (issue 22.4):
every page answers as to any reader, never 500 (PostgreSQL refuses a NUL in a lookup), and
the answer deletes the cookie."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_post, make_staff

pytestmark = pytest.mark.django_db

MALFORMED = [
    '"abc\\000def"',  # a quoted value: Django unquotes the octal escape into a NUL
    "abc\\000def",
    '"' + "a" * 31 + '\\000"',
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
    "a;b",
    "x" * 5000,
    "café-0123456789",
    "' OR 1=1 --",
]


def _get(path, cookie):
    return Client(raise_request_exception=False).get(path, HTTP_COOKIE=f"sessionid={cookie}")


@pytest.mark.parametrize("cookie", MALFORMED)
def test_a_malformed_session_cookie_is_no_session_on_every_kind_of_page(cookie):
    post = make_post(title="Read by anyone")
    for path in ["/", post.get_absolute_url(), "/news/", "/search/?q=read", "/mailing-list/"]:
        response = _get(path, cookie)
        assert response.status_code == 200, path
    response = _get(post.get_absolute_url(), cookie)
    assert "Read by anyone" in response.content.decode()
    # The editors' side sends the reader to sign in, as for anyone without a session.
    response = _get(reverse("admin:index"), cookie)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_answer_deletes_the_malformed_cookie_and_is_not_shared():
    response = _get("/", '"abc\\000def"')
    assert response.cookies["sessionid"].value == ""
    assert response.cookies["sessionid"]["max-age"] == 0
    assert "public" not in response["Cache-Control"]


def test_a_real_session_still_signs_in():
    client = Client()
    client.force_login(make_staff("ed", groups=["Editors"]))
    assert client.get(reverse("admin:index")).status_code == 200
