"""Through a real Varnish: a colleague's copy of a lead's profile is never kept nor served to readers (issue 17)."""

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

from ktnsite.roles import editors_group_sync
from tests.factories import make_contact, make_staff
from tests.varnish.conftest import request

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL, PHONE = "lead.person@agency.example", "020 7946 0199"


@pytest.fixture
def lead(through_varnish):
    return make_contact(name="Lead Person", email=EMAIL, phone=PHONE)


@pytest.fixture
def staff_cookie():
    editors_group_sync(apps)  # the database is emptied between these tests
    client = Client()
    client.force_login(make_staff("colleague", groups=["Editors"]))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _get(varnish, path, cookie=None):
    status, headers, body = request(varnish.url, path, headers={"Cookie": cookie} if cookie else {})
    return status, headers, body.decode()


def _readers_copy(body):
    return EMAIL not in body and PHONE not in body and "Only staff see this" not in body


def test_staff_first_then_readers_the_staff_copy_is_never_kept(through_varnish, lead, staff_cookie):
    url = lead.get_absolute_url()
    status, headers, body = _get(through_varnish, url, staff_cookie)
    assert status == 200 and EMAIL in body and PHONE in body
    assert "no-store" in headers["cache-control"]
    status, first, body = _get(through_varnish, url)
    assert (status, first["x-cache"]) == (200, "MISS")  # nothing was kept from the staff visit
    assert _readers_copy(body)
    status, second, body = _get(through_varnish, url)
    assert (status, second["x-cache"]) == (200, "HIT") and _readers_copy(body)


def test_readers_first_then_staff_the_readers_copy_is_never_served_to_staff(
    through_varnish, lead, staff_cookie
):
    url = lead.get_absolute_url()
    _get(through_varnish, url)
    status, headers, body = _get(through_varnish, url)
    assert (status, headers["x-cache"]) == (200, "HIT") and _readers_copy(body)
    status, headers, body = _get(through_varnish, url, staff_cookie)
    assert headers["x-cache"] == "MISS" and EMAIL in body and "Only staff see this" in body
    status, headers, body = _get(through_varnish, url)  # readers still share their copy
    assert headers["x-cache"] == "HIT" and _readers_copy(body)
