"""The mailing list's alert and weekly digest for an event say when (UK time, zone named) and
where it happens, not the date it was published."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mailinglist.models import Frequency
from tests.factories import make_event, make_post, make_subscriber, make_topic

pytestmark = pytest.mark.django_db

# A summer event (BST) and a publication date that must not be mistaken for it.
SUMMER_START = datetime(2031, 7, 8, 9, 30, tzinfo=UTC)  # 10:30am BST


def publish_event(capture, **fields):
    fields.setdefault("publish_at", timezone.now() - timedelta(minutes=1))
    with capture(execute=True):
        return make_event(start=SUMMER_START, hours=2, **fields)


def test_an_event_alert_says_when_in_uk_time_and_where(
    smtp_server, django_capture_on_commit_callbacks
):
    topic = make_topic()
    reader = make_subscriber(topics=[topic])
    publish_event(
        django_capture_on_commit_callbacks,
        title="Hydrogen valleys briefing",
        topics=[topic],
        format="in_person",
        venue_name="The Engine Shed",
        venue_address="Station Approach\nBristol BS1 6QH",
    )
    (message,) = smtp_server.messages
    assert message["To"] == reader.email
    text = message.get_body(("plain",)).get_content()
    assert "When: Tuesday 8 July 2031, 10:30am to 12:30pm BST" in text
    assert "Where: The Engine Shed, Station Approach, Bristol BS1 6QH" in text
    # The publication date (today) is not shown as if it were the event's.
    assert timezone.now().strftime("%d/%m/%Y") not in text
    html = message.get_body(("html",)).get_content()
    assert "<strong>When:</strong> Tuesday 8 July 2031, 10:30am to 12:30pm BST" in html
    assert "<strong>Where:</strong> The Engine Shed, Station Approach, Bristol BS1 6QH" in html


def test_an_online_or_hybrid_event_alert_says_so(django_capture_on_commit_callbacks):
    topic = make_topic()
    make_subscriber(topics=[topic])
    publish_event(django_capture_on_commit_callbacks, topics=[topic], format="online")
    publish_event(
        django_capture_on_commit_callbacks,
        topics=[topic],
        format="hybrid",
        venue_name="Harwell Campus",
    )
    online, hybrid = (message.body for message in mail.outbox)
    assert "Where: Online\n" in online
    assert "Where: Harwell Campus, and online\n" in hybrid


def test_a_winter_event_names_gmt_and_an_event_alert_escapes_the_venue(
    django_capture_on_commit_callbacks,
):
    topic = make_topic()
    make_subscriber(topics=[topic])
    with django_capture_on_commit_callbacks(execute=True):
        make_event(
            topics=[topic],
            start=datetime(2031, 1, 14, 14, 0, tzinfo=UTC),
            hours=1,
            format="in_person",
            venue_name="<b>Hall</b> & Co",
            publish_at=timezone.now() - timedelta(minutes=1),
        )
    (message,) = mail.outbox
    assert "When: Tuesday 14 January 2031, 2pm to 3pm GMT" in message.body
    html = message.alternatives[0][0]
    assert "&lt;b&gt;Hall&lt;/b&gt; &amp; Co" in html and "<b>Hall</b>" not in html


def test_a_cancelled_event_alert_says_it_is_cancelled(django_capture_on_commit_callbacks):
    topic = make_topic()
    make_subscriber(topics=[topic])
    publish_event(django_capture_on_commit_callbacks, topics=[topic], event_status="cancelled")
    assert "Status: Cancelled\n" in mail.outbox[0].body


def test_a_weekly_digest_gives_an_events_time_and_place_and_a_posts_date(
    django_capture_on_commit_callbacks,
):
    topic = make_topic()
    make_subscriber(topics=[topic], frequency=Frequency.WEEKLY)
    publish_event(
        django_capture_on_commit_callbacks,
        title="Summer workshop",
        topics=[topic],
        format="in_person",
        venue_name="The Engine Shed",
    )
    published = timezone.now() - timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        make_post(topics=[topic], title="Some news", publish_at=published)
    call_command("send_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (digest,) = mail.outbox
    assert "Summer workshop\nWhen: Tuesday 8 July 2031, 10:30am to 12:30pm BST\n" in digest.body
    assert "Where: The Engine Shed\n" in digest.body
    assert f"Some news\n{timezone.localtime(published):%d/%m/%Y}\n" in digest.body
    assert "<strong>When:</strong> Tuesday 8 July 2031" in digest.alternatives[0][0]
