"""The signed links in every email: confirm, preferences and one-click unsubscribe."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from mailinglist.models import Frequency, State, Subscriber
from mailinglist.tokens import CONFIRM, PREFERENCES, UNSUBSCRIBE, token_url
from tests.factories import make_staff, make_subscriber, make_topic
from tests.mailinglist.conftest import link_in

pytestmark = pytest.mark.django_db


def test_the_confirmation_link_shows_a_confirm_button_and_changes_nothing(client, sign_up):
    sign_up("new@example.org")
    link = link_in(mail.outbox[0].body, "confirm")
    response = client.get(link)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Confirm your subscription</h1>" in page
    assert '<form method="post"' in page
    assert ">Confirm</button>" in page
    subscriber = Subscriber.objects.get()
    assert subscriber.state == State.PENDING
    assert subscriber.confirmed_at is None


def test_the_confirm_button_confirms_and_opens_the_preferences(client, sign_up):
    sign_up("new@example.org")
    response = client.post(link_in(mail.outbox[0].body, "confirm"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith("/mailing-list/preferences/?token=")
    assert "Your subscription is confirmed" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.state == State.CONFIRMED
    assert subscriber.confirmed_at is not None


def test_a_link_scanner_following_the_link_confirms_nobody(sign_up):
    sign_up("scanned@example.org")
    link = link_in(mail.outbox[0].body, "confirm")
    scanner = Client()
    for _ in range(3):
        assert scanner.get(link).status_code == 200
        assert scanner.head(link).status_code == 200
    assert Subscriber.objects.get().state == State.PENDING


def test_confirming_from_another_site_is_refused(client, sign_up):
    sign_up("forged@example.org")
    link = link_in(mail.outbox[0].body, "confirm")
    response = client.post(link, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert Subscriber.objects.get().state == State.PENDING


def test_confirming_twice_is_harmless(client, sign_up):
    sign_up("new@example.org")
    link = link_in(mail.outbox[0].body, "confirm")
    client.post(link)
    first = Subscriber.objects.get().confirmed_at
    assert client.post(link).status_code == 302
    assert Subscriber.objects.get().confirmed_at == first


def test_an_expired_confirmation_link_says_so(client, sign_up, settings):
    sign_up("late@example.org")
    link = link_in(mail.outbox[0].body, "confirm")
    settings.MAILINGLIST_CONFIRM_DAYS = 0
    response = client.get(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert Subscriber.objects.get().state == State.PENDING


@pytest.mark.parametrize("route", ["confirm", "preferences", "unsubscribe"])
@pytest.mark.parametrize("token", ["", "garbage", "eyJ0YW1wZXJlZCI6MX0:1abc:xyz"])
def test_a_tampered_link_gets_a_clear_400(client, route, token):
    response = client.get(f"/mailing-list/{route}/", {"token": token})
    assert response.status_code == 400
    assert "This link is not working" in response.content.decode()


def test_a_token_for_one_purpose_does_not_work_for_another(client):
    subscriber = make_subscriber()
    unsubscribe = token_url(subscriber, UNSUBSCRIBE, absolute=False)
    forged = unsubscribe.replace("/unsubscribe/", "/preferences/")
    assert client.get(forged).status_code == 400


def test_a_link_for_an_erased_subscriber_gets_a_404(client):
    subscriber = make_subscriber()
    link = token_url(subscriber, PREFERENCES, absolute=False)
    subscriber.delete()
    response = client.get(link)
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()


def test_preferences_choose_topics_and_a_weekly_digest(client):
    wanted, other = make_topic(), make_topic()
    subscriber = make_subscriber(topics=[other])
    link = token_url(subscriber, PREFERENCES, absolute=False)
    page = client.get(link)
    assert page.status_code == 200
    assert subscriber.email in page.content.decode()
    response = client.post(
        link, {"topics": [wanted.pk], "frequency": Frequency.WEEKLY}, follow=True
    )
    assert "Your preferences are saved." in response.content.decode()
    subscriber.refresh_from_db()
    assert list(subscriber.topics.all()) == [wanted]
    assert subscriber.frequency == Frequency.WEEKLY


def test_preferences_refuse_unknown_topics_and_frequencies(client):
    subscriber = make_subscriber(topics=[make_topic()])
    link = token_url(subscriber, PREFERENCES, absolute=False)
    response = client.post(link, {"topics": ["424242"], "frequency": "hourly"})
    assert response.status_code == 400
    assert "Choose areas of interest from the list." in response.content.decode()
    assert Subscriber.objects.get().frequency == Frequency.IMMEDIATE


def test_the_preferences_page_has_a_fixed_query_budget(client, django_assert_max_num_queries):
    subscriber = make_subscriber(topics=[make_topic() for _ in range(8)])
    link = token_url(subscriber, PREFERENCES, absolute=False)
    with django_assert_max_num_queries(3):
        assert client.get(link).status_code == 200


def test_opening_the_unsubscribe_link_only_shows_a_button(client):
    subscriber = make_subscriber()
    response = client.get(token_url(subscriber, UNSUBSCRIBE, absolute=False))
    assert response.status_code == 200
    assert "<button" in response.content.decode()
    assert Subscriber.objects.get().state == State.CONFIRMED


def test_a_one_click_post_unsubscribes_without_a_csrf_token_and_is_idempotent():
    client = Client(enforce_csrf_checks=True)
    subscriber = make_subscriber()
    link = token_url(subscriber, UNSUBSCRIBE, absolute=False)
    for _ in range(2):
        response = client.post(link, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert Subscriber.objects.get().state == State.UNSUBSCRIBED
    assert "You are unsubscribed" in response.content.decode()


def test_the_preferences_page_sets_no_cookie_and_its_form_refuses_other_sites():
    # Like the other readers' forms (tests/publishing/test_cross_origin.py): no CSRF cookie,
    # the signed token and the browser's Fetch Metadata protect it.
    client = Client(enforce_csrf_checks=True)
    subscriber = make_subscriber()
    link = token_url(subscriber, PREFERENCES, absolute=False)
    page = client.get(link)
    assert not page.cookies and "csrfmiddlewaretoken" not in page.content.decode()
    forged = client.post(
        link, {"frequency": Frequency.WEEKLY}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert forged.status_code == 403
    assert Subscriber.objects.get().frequency != Frequency.WEEKLY
    response = client.post(
        link, {"frequency": Frequency.WEEKLY}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 302 and not response.cookies.get("csrftoken")
    assert Subscriber.objects.get().frequency == Frequency.WEEKLY


def test_a_signed_in_colleague_saves_their_preferences_with_the_csrf_token():
    # Someone with a session gets Django's token check as well (publishing.crossorigin).
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff("colleague"))
    link = token_url(make_subscriber(), PREFERENCES, absolute=False)
    html = client.get(link).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    data = {"frequency": Frequency.WEEKLY}
    assert client.post(link, data, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 403
    data["csrfmiddlewaretoken"] = token
    assert client.post(link, data, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 302
    assert Subscriber.objects.get().frequency == Frequency.WEEKLY


def test_a_confirmation_link_after_unsubscribing_does_not_resubscribe(client):
    subscriber = make_subscriber(state=State.PENDING)
    link = token_url(subscriber, CONFIRM, absolute=False)
    client.post(token_url(subscriber, UNSUBSCRIBE, absolute=False))
    assert client.get(link).status_code == 400
    response = client.post(link)
    assert response.status_code == 400
    assert Subscriber.objects.get().state == State.UNSUBSCRIBED


def test_purge_forgets_unconfirmed_sign_ups_older_than_the_expiry():
    old = timezone.now() - timedelta(days=8)
    make_subscriber(email="stale@example.org", state=State.PENDING, requested_at=old)
    make_subscriber(email="fresh@example.org", state=State.PENDING)
    make_subscriber(email="kept@example.org", requested_at=old)
    call_command("purge_unconfirmed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "fresh@example.org",
        "kept@example.org",
    ]
