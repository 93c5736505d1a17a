"""Signing up: one form, one answer for everyone, a confirmation email, bad input refused."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from mailinglist.models import SignupEmail, State, Subscriber
from tests.factories import make_post, make_subscriber, make_topic

pytestmark = pytest.mark.django_db

CHECK_EMAIL = (
    "Please check your email to confirm your subscription and select your area(s) of interest"
)


def test_signing_up_says_check_your_email_and_sends_a_confirmation(client, sign_up):
    topic = make_topic(name="Net Zero")
    response = sign_up("Reader@Example.ORG", topics=[topic])
    assert response.status_code == 302
    page = client.get(response.url)
    assert CHECK_EMAIL in page.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Reader@example.org"
    assert subscriber.state == State.PENDING
    assert list(subscriber.topics.all()) == [topic]
    assert "I agree to" in subscriber.consent_text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Reader@example.org"]
    assert "/mailing-list/confirm/?token=" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_answer_is_the_same_for_new_pending_and_confirmed_addresses(sign_up):
    make_subscriber(email="pending@example.org", state=State.PENDING)
    make_subscriber(email="confirmed@example.org")
    answers = {
        email: sign_up(email)
        for email in ["new@example.org", "pending@example.org", "confirmed@example.org"]
    }
    assert {(r.status_code, r.url, r.content) for r in answers.values()} == {
        (302, "/mailing-list/check-your-email/", b"")
    }


def test_a_confirmed_address_gets_a_preferences_link_not_a_new_confirmation(sign_up):
    topic = make_topic()
    subscriber = make_subscriber(email="known@example.org", topics=[topic])
    sign_up("KNOWN@example.org", topics=[make_topic()])
    assert len(mail.outbox) == 1
    assert "/mailing-list/preferences/?token=" in mail.outbox[0].body
    assert "/mailing-list/confirm/" not in mail.outbox[0].body
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED
    assert list(subscriber.topics.all()) == [topic]


def test_signing_up_twice_keeps_one_row_for_an_address_in_any_case(sign_up):
    sign_up("twice@example.org")
    sign_up("TWICE@example.org")
    assert Subscriber.objects.count() == 1
    assert len(mail.outbox) == 2  # a double submit re-sends the confirmation


def test_the_database_refuses_a_second_row_differing_only_in_case():
    make_subscriber(email="one@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="ONE@EXAMPLE.ORG", consent_text="x")


def test_an_unsubscribed_address_signing_up_again_must_confirm_again(sign_up):
    make_subscriber(email="back@example.org", state=State.UNSUBSCRIBED)
    sign_up("back@example.org")
    assert Subscriber.objects.get().state == State.PENDING
    assert "/mailing-list/confirm/?token=" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address", "consent": "on"}, "Enter an email address like"),
        ({"email": "a" * 250 + "@example.org", "consent": "on"}, "at most 254 characters"),
        ({"email": "", "consent": "on"}, "Enter your email address."),
        ({"email": "r@example.org"}, "Tick the box to agree"),
        ({"email": "r@example.org", "consent": "on", "topics": ["999999"]}, "Choose areas"),
        ({"email": "r@example.org", "consent": "on", "topics": ["x'; drop"]}, "Choose areas"),
    ],
)
def test_bad_sign_ups_get_a_clear_message_and_store_nothing(client, data, message):
    response = client.post("/mailing-list/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_too_many_sign_ups_from_one_network_are_refused(client, settings, sign_up):
    settings.MAILINGLIST_SIGNUP_RATE_IP = "3/h"
    codes = [sign_up(f"r{n}@example.org").status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]
    assert Subscriber.objects.count() == 3


def test_one_address_is_not_flooded_with_confirmations(settings, sign_up):
    settings.MAILINGLIST_SIGNUP_RATE_ADDRESS = "2/h"
    answers = [sign_up("victim@example.org") for _ in range(4)]
    assert {r.url for r in answers} == {"/mailing-list/check-your-email/"}
    assert len(mail.outbox) == 2


def test_plus_tags_and_case_do_not_get_round_the_per_mailbox_cap(settings, sign_up):
    settings.MAILINGLIST_SIGNUP_RATE_MAILBOX = "2/h"
    addresses = ["victim+1@example.org", "Victim+2@example.org", "VICTIM@example.org"]
    answers = [sign_up(address) for address in addresses]
    assert {r.url for r in answers} == {"/mailing-list/check-your-email/"}
    assert len(mail.outbox) == 2
    sign_up("someone.else@example.org")  # another mailbox at the domain is not held back
    assert len(mail.outbox) == 3


def test_one_recipient_domain_is_not_flooded_with_confirmations(settings, sign_up):
    settings.MAILINGLIST_SIGNUP_RATE_DOMAIN = "3/h"
    answers = [sign_up(f"person{n}@Employer.example") for n in range(5)]
    assert {r.url for r in answers} == {"/mailing-list/check-your-email/"}
    assert len(mail.outbox) == 3
    sign_up("reader@elsewhere.example")
    assert len(mail.outbox) == 4


def test_the_sign_up_form_is_on_articles_and_the_home_page(client):
    topic = make_topic(name="Agri-food")
    post = make_post(topics=[topic])
    for url in ["/", post.get_absolute_url(), "/mailing-list/"]:
        html = client.get(url).content.decode()
        assert 'action="/mailing-list/"' in html
        assert 'name="email"' in html
        assert f'value="{topic.pk}"' in html
        assert "Agri-food" in html
        assert "I agree to" in html


def test_the_sign_up_block_keeps_the_seed_wording(client, settings):
    html = client.get("/").content.decode()
    assert f"Connect with {settings.SITE_NAME}" in html
    assert CHECK_EMAIL in html


def test_what_a_reader_typed_is_escaped_when_the_form_comes_back(client):
    response = client.post("/mailing-list/", {"email": '"><script>alert(1)</script>'})
    assert response.status_code == 400
    assert b"<script>alert(1)" not in response.content


@pytest.mark.parametrize("count", [1, 12])
def test_the_sign_up_page_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    for _ in range(count):
        make_topic()
    with django_assert_max_num_queries(1):
        assert client.get("/mailing-list/").status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_the_article_with_the_sign_up_block_has_a_fixed_query_budget(
    client, django_assert_max_num_queries, count
):
    post = make_post(topics=[make_topic() for _ in range(count)])
    # The article's own five (see tests/news/test_queries.py) and the form's topics.
    with django_assert_max_num_queries(6):
        assert client.get(post.get_absolute_url()).status_code == 200


def test_posting_a_sign_up_has_a_fixed_query_budget(sign_up, django_assert_max_num_queries):
    topics = [make_topic() for _ in range(10)]
    # Saving the sign-up and its outbox row and, after commit (the tests' immediate task
    # backend), claiming, sending and recording the email (rate limits use the cache).
    with django_assert_max_num_queries(16):
        assert sign_up("budget@example.org", topics=topics).status_code == 302


def test_a_confirmation_the_mail_server_missed_is_sent_when_its_retry_is_due(sign_up, smtp_server):
    smtp_server.stop()
    assert sign_up("patient@example.org").status_code == 302
    owed = SignupEmail.objects.get()
    assert (owed.kind, owed.state, owed.attempts) == ("confirm", "pending", 1)
    smtp_server.start()
    call_command("send_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert smtp_server.envelopes == []  # its retry time has not come
    SignupEmail.objects.update(next_attempt_at=timezone.now())
    call_command("send_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [rcpts for _, rcpts in smtp_server.envelopes] == [["patient@example.org"]]
    call_command("send_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(smtp_server.messages) == 1
