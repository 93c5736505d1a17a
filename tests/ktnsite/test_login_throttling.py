"""The admin login pauses a username at one address after repeated failures (django-axes)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a long editor password"
OFFICE = "203.0.113.7"
ELSEWHERE = "198.51.100.20"

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("eve", password=PASSWORD, is_staff=True)


def _login(client, password, *, address=OFFICE, username="eve", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def _fail(client, times, **kwargs):
    return [_login(client, "wrong password", **kwargs).status_code for _ in range(times)]


def test_wrong_passwords_below_the_limit_show_the_usual_form(client, staff, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert _fail(client, 4) == [200] * 4
    assert _login(client, PASSWORD).status_code == 302


def test_the_fifth_failure_locks_that_username_at_that_address_with_a_clear_page(client, staff):
    assert _fail(client, 5) == [200, 200, 200, 200, 429]
    response = _login(client, PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 60 * 60
    page = response.content.decode()
    assert "Too many failed log-in attempts" in page
    assert "paused for 60 minutes" in page
    assert '<link rel="stylesheet"' in page  # the site's own page, not a bare message
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_stop_the_same_editor_elsewhere_or_another_user(
    client, staff, django_user_model
):
    django_user_model.objects.create_user("sam", password=PASSWORD, is_staff=True)
    _fail(client, 5)
    assert _login(client, PASSWORD, address=ELSEWHERE).status_code == 302
    client.logout()
    assert _login(client, PASSWORD, username="sam").status_code == 302


def test_a_successful_login_clears_earlier_failures(client, staff):
    _fail(client, 4)
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    assert _fail(client, 4) == [200] * 4  # counting starts again from nothing
    assert _login(client, PASSWORD).status_code == 302


def test_the_pause_ends_after_the_lockout_time(client, staff):
    _fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=61))
    assert _login(client, PASSWORD).status_code == 302


def test_an_administrator_can_lift_a_pause_with_the_reset_command(client, staff):
    from django.core.management import call_command

    _fail(client, 5)
    call_command("axes_reset_username", "eve", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _login(client, PASSWORD).status_code == 302


def test_a_forwarded_address_header_is_ignored_unless_configured(client, staff):
    statuses = [
        _login(client, "wrong", HTTP_X_REAL_IP=f"192.0.2.{n}").status_code for n in range(5)
    ]
    assert statuses[-1] == 429  # one connection, however many addresses it claims


def test_behind_a_proxy_the_configured_header_names_the_client(client, staff, settings):
    settings.CLIENT_IP_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    _fail(client, 5, address=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {OFFICE}")
    locked = _login(client, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=OFFICE)
    assert locked.status_code == 429
    # A client cannot dodge the count by claiming a new address at the front of the list.
    spoofed = _login(client, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=f"9.9.9.9, {OFFICE}")
    assert spoofed.status_code == 429
    other_reader = _login(client, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert other_reader.status_code == 302


def test_password_spraying_across_usernames_pauses_that_address(
    client, staff, settings, django_user_model
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    # One or two passwords tried against many names: no name reaches its own limit of five.
    codes = [
        _login(client, password, username=f"user{n}").status_code
        for n in range(3)
        for password in ("Summer2026!", "Password1")
    ]
    assert codes == [200] * 6
    response = _login(client, PASSWORD)  # now even a real editor's right password
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not held back by this one's failures.
    assert _login(client, PASSWORD, address=ELSEWHERE).status_code == 302


def test_a_few_typos_at_a_shared_office_address_lock_nobody_else_out(
    client, staff, django_user_model
):
    django_user_model.objects.create_user("sam", password=PASSWORD, is_staff=True)
    for name in ("ann", "bob", "cat"):
        _fail(client, 2, username=name)
    assert _login(client, PASSWORD, username="sam").status_code == 302
