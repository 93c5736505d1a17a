"""The whole journey through a real SMTP server: sign up, confirm, choose, hear, unsubscribe."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_post, make_topic
from tests.mailinglist.conftest import link_in

pytestmark = pytest.mark.django_db


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_sign_up_confirm_choose_receive_and_unsubscribe_in_one_click(
    client, smtp_server, settings, django_capture_on_commit_callbacks
):
    topic = make_topic(name="Medicines Manufacturing")

    def publish(title):
        with django_capture_on_commit_callbacks(execute=True):
            make_post(topics=[topic], title=title, publish_at=timezone.now() - timedelta(minutes=1))

    # Sign up from the form, without choosing a topic yet.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/mailing-list/", {"email": "reader@example.org", "consent": "on"})
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    confirmation = smtp_server.messages[0]
    assert smtp_server.envelopes[0][1] == ["reader@example.org"]
    assert "Confirm" in confirmation["Subject"]

    # Nothing but the confirmation arrives before the address is confirmed.
    publish("Before confirming")
    assert len(smtp_server.messages) == 1

    # Confirm, landing on the preferences page, and choose the topic.
    link = link_in(text_of(confirmation), "confirm")
    assert ">Confirm</button>" in client.get(link).content.decode()
    preferences = client.post(link)
    assert preferences.status_code == 302
    response = client.post(preferences.url, {"topics": [topic.pk], "frequency": "immediate"})
    assert response.status_code == 302

    # A post in that topic goes live: exactly one alert, with both parts and the headers.
    publish("New funding for medicines manufacturing")
    assert len(smtp_server.messages) == 2
    alert = smtp_server.messages[1]
    assert alert["Subject"] == "New funding for medicines manufacturing"
    assert alert.get_body(preferencelist=("html",)) is not None
    assert "New funding for medicines manufacturing" in text_of(alert)
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(alert["List-Unsubscribe"]).strip()  # long headers are folded
    assert header.startswith(f"<{settings.SITE_URL}/") and header.endswith(">")

    # The mail client's one-click POST (RFC 8058): no cookies, no CSRF token.
    url = urlsplit(header.strip("<>"))
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        f"{url.path}?{url.query}",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200

    # The next post sends nothing.
    publish("After unsubscribing")
    assert len(smtp_server.messages) == 2
