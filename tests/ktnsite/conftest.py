"""Fixtures shared by the site-wide tests (page cache, front cache)."""

import pytest

from tests.factories import make_contact, make_post, make_report, make_topic


@pytest.fixture
def content():
    """One item of each public kind, all on one topic: a post naming its contact and report."""
    topic = make_topic(name="Quantum", slug="quantum")
    contact = make_contact(name="Ada Lead", topics=[topic])
    report = make_report(title="Quantum report", topics=[topic])
    post = make_post(title="Qubit breakthrough", topics=[topic], contacts=[contact], report=report)
    return {"topic": topic, "contact": contact, "report": report, "post": post}
