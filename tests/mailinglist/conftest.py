"""Helpers for the mailing-list tests: reading links back out of the emails."""

import re
from urllib.parse import urlsplit

import pytest


def link_in(body, route):
    """The site-relative URL of the first /mailing-list/<route>/ link in a text body."""
    match = re.search(rf"https?://\S+/mailing-list/{route}/\?token=\S+", body)
    assert match, f"no {route} link in:\n{body}"
    parts = urlsplit(match.group(0))
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """Submit the sign-up form as a reader would, running what happens after commit."""

    def submit(email="reader@example.org", topics=(), consent="on", **extra):
        data = {"email": email, "topics": [t.pk for t in topics], **extra}
        if consent:
            data["consent"] = consent
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/mailing-list/", data)

    return submit
