"""Readers choose deadline reminders: in their mailing-list preferences, or for one opportunity from its page (confirmed by email)."""

import re
from datetime import timedelta

import pytest
from django.core import mail

from ktnsite.models import OpportunityWatch
from ktnsite.reminders import opportunity_reminders_send
from mailinglist.models import State, Subscriber
from mailinglist.tokens import PREFERENCES, make_token
from outbox.delivery import outbox_drain
from tests.factories import make_opportunity, make_subscriber, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return make_topic(name="Net zero", slug="net-zero")


def recipients(smtp_server):
    return sorted(address for _, rcpts in smtp_server.envelopes for address in rcpts)


def remind_me(client, opportunity, email="reader@example.org", consent="on", **headers):
    data = {"email": email}
    if consent:
        data["consent"] = consent
    return client.post(f"/opportunities/{opportunity.slug}/remind-me/", data, **headers)


def confirm_link(message):
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/mailing-list/reminder/\?token=\S+", text).group(0)


def test_a_subscriber_who_did_not_choose_reminders_gets_none(smtp_server, topic):
    make_subscriber(email="quiet@example.org", topics=[topic])
    chose = make_subscriber(email="chose@example.org", topics=[topic], deadline_reminders=True)
    make_opportunity(topics=[topic], closes_in=timedelta(days=5))
    opportunity_reminders_send()
    assert recipients(smtp_server) == [chose.email]


def test_reminders_are_chosen_in_the_preferences_page(client, smtp_server, topic):
    reader = make_subscriber(email="reader@example.org", topics=[topic])
    url = f"/mailing-list/preferences/?token={make_token(reader, PREFERENCES)}"
    page = client.get(url)
    assert "Remind me a week before a funding opportunity in my areas closes" in page.text
    response = client.post(
        url, {"topics": [topic.pk], "frequency": "immediate", "deadline_reminders": "on"}
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.deadline_reminders
    assert 'name="deadline_reminders" checked' in client.get(url).text.replace(
        'id="id_deadline_reminders" ', ""
    )
    make_opportunity(title="Heat pumps", topics=[topic], closes_in=timedelta(days=6))
    opportunity_reminders_send()
    assert recipients(smtp_server) == [reader.email]
    # Unticking it stops them.
    client.post(url, {"topics": [topic.pk], "frequency": "immediate"})
    reader.refresh_from_db()
    assert not reader.deadline_reminders


def test_a_reader_asks_from_the_page_confirms_by_email_and_gets_one_reminder(client, smtp_server):
    opportunity = make_opportunity(title="Heat <pumps>", closes_in=timedelta(days=20))
    page = client.get(opportunity.get_absolute_url())
    assert f'action="/opportunities/{opportunity.slug}/remind-me/"' in page.text
    response = remind_me(client, opportunity, email="New.Reader@Example.ORG")
    assert response.status_code == 200
    assert "Check your email" in response.text and "Heat &lt;pumps&gt;" in response.text
    outbox_drain()
    assert recipients(smtp_server) == ["New.Reader@example.org"]
    message = smtp_server.messages[0]
    assert message["Subject"] == "Confirm your reminder: Heat <pumps>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    subscriber = Subscriber.objects.get()
    assert subscriber.state == State.PENDING and not subscriber.topics.exists()
    assert "Heat <pumps>" in subscriber.consent_text
    # Before the link is followed, nothing is owed, even in the last week.
    opportunity.closes_at -= timedelta(days=14)
    opportunity.save(update_fields=["closes_at"])
    assert opportunity_reminders_send()["recorded"] == 0
    # A GET (a mail scanner) only shows the button.
    link = confirm_link(message).split("://", 1)[1].partition("/")[2]
    shown = client.get("/" + link)
    assert shown.status_code == 200 and "Confirm your reminder" in shown.text
    assert OpportunityWatch.objects.get().confirmed_at is None
    confirmed = client.post("/" + link)
    assert "Your reminder is confirmed" in confirmed.text
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED
    tally = opportunity_reminders_send()
    assert tally["recorded"] == 1 and tally["sent"] == 1
    assert recipients(smtp_server) == ["New.Reader@example.org"] * 2
    assert "Heat <pumps>" in smtp_server.messages[1]["Subject"]
    opportunity_reminders_send()
    assert len(smtp_server.messages) == 2


def test_asking_twice_owes_one_email_and_the_answer_never_tells_who_is_subscribed(
    client, smtp_server
):
    make_subscriber(email="member@example.org")
    opportunity = make_opportunity()
    first = remind_me(client, opportunity, email="member@example.org")
    again = remind_me(client, opportunity, email="member@example.org")
    stranger = remind_me(client, opportunity, email="stranger@example.org")
    assert first.status_code == again.status_code == stranger.status_code == 200
    assert first.text == again.text
    outbox_drain()
    assert recipients(smtp_server) == ["member@example.org", "stranger@example.org"]
    assert OpportunityWatch.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "consent": "on"}, "Enter your email address."),
        ({"email": "not-an-address", "consent": "on"}, "Enter an email address like"),
        ({"email": "a@example.org"}, "Tick the box to agree"),
    ],
)
def test_bad_requests_get_a_clear_message_and_store_nothing(client, data, message):
    opportunity = make_opportunity()
    response = client.post(f"/opportunities/{opportunity.slug}/remind-me/", data)
    assert response.status_code == 400 and message in response.text
    assert not Subscriber.objects.exists() and not mail.outbox


def test_no_reminder_for_a_closed_or_unknown_opportunity_or_from_another_site(client):
    closed = make_opportunity(opens_in=-timedelta(days=30), closes_in=-timedelta(days=1))
    assert "remind-me" not in client.get(closed.get_absolute_url()).text
    assert remind_me(client, closed).status_code == 400
    assert client.post("/opportunities/no-such-call/remind-me/", {}).status_code == 404
    assert client.get(f"/opportunities/{closed.slug}/remind-me/").status_code == 405
    open_call = make_opportunity()
    assert remind_me(client, open_call, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert not OpportunityWatch.objects.exists()


def test_a_broken_or_forged_confirmation_link_is_refused(client):
    for token in ("", "forged", "a" * 300):
        response = client.get(f"/mailing-list/reminder/?token={token}")
        assert response.status_code == 400 and "ask for the reminder again" in response.text


def test_one_address_is_not_flooded_with_confirmations(client, settings, smtp_server):
    settings.MAILINGLIST_SIGNUP_RATE_ADDRESS = "2/h"
    opportunities = [make_opportunity() for _ in range(4)]
    for opportunity in opportunities:
        assert remind_me(client, opportunity, email="victim@example.org").status_code == 200
    outbox_drain()
    assert len(smtp_server.messages) == 2


def test_an_unsubscribed_reader_who_asks_again_gets_only_that_reminder(client, smtp_server):
    topic = make_topic()
    reader = make_subscriber(
        email="back@example.org", topics=[topic], deadline_reminders=True, state=State.UNSUBSCRIBED
    )
    opportunity = make_opportunity(title="Wanted call", closes_in=timedelta(days=20))
    make_opportunity(title="Other call", topics=[topic], closes_in=timedelta(days=5))
    remind_me(client, opportunity, email="back@example.org")
    outbox_drain()
    link = confirm_link(smtp_server.messages[0]).split("://", 1)[1].partition("/")[2]
    client.post("/" + link)
    reader.refresh_from_db()
    assert reader.state == State.CONFIRMED
    assert not reader.deadline_reminders and not reader.topics.exists()
    opportunity.closes_at -= timedelta(days=14)
    opportunity.save(update_fields=["closes_at"])
    opportunity_reminders_send()
    assert [m["Subject"] for m in smtp_server.messages[1:]] == ["Closing soon: Wanted call"]
