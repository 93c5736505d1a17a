"""Deadline reminders: one email a week before an opportunity on a subscriber's topics closes, sent once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from ktnsite.models import OpportunityReminder
from ktnsite.reminders import opportunity_reminders_send
from mailinglist.models import Delivery, State
from opportunities.models import Opportunity
from tests.factories import make_opportunity, make_subscriber, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return make_topic(name="Net zero", slug="net-zero")


def recipients(smtp_server):
    return sorted(address for _, rcpts in smtp_server.envelopes for address in rcpts)


def test_a_subscriber_gets_one_reminder_with_one_click_unsubscribe(smtp_server, topic):
    reader = make_subscriber(deadline_reminders=True, email="reader@example.org", topics=[topic])
    make_subscriber(deadline_reminders=True, email="elsewhere@example.org", topics=[make_topic()])
    make_subscriber(
        deadline_reminders=True, email="pending@example.org", topics=[topic], state=State.PENDING
    )
    opportunity = make_opportunity(title="Heat pumps", topics=[topic], closes_in=timedelta(days=6))
    out = StringIO()
    call_command("send_opportunity_reminders", stdout=out)
    assert "1 recorded" in out.getvalue() and "1 sent" in out.getvalue()
    assert recipients(smtp_server) == [reader.email]
    message = smtp_server.messages[0]
    assert message["Subject"] == "Closing soon: Heat pumps"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    assert "Closes in 6 days" in text and opportunity.get_absolute_url() in text
    # Run again, and again: nothing more.
    opportunity_reminders_send()
    opportunity_reminders_send()
    assert len(smtp_server.messages) == 1


def test_no_reminder_before_the_last_week_or_for_a_short_call_or_a_closed_one(smtp_server, topic):
    make_subscriber(deadline_reminders=True, topics=[topic])
    make_opportunity(topics=[topic], closes_in=timedelta(days=8))
    make_opportunity(topics=[topic], opens_in=-timedelta(days=2), closes_in=timedelta(days=3))
    make_opportunity(topics=[topic], opens_in=-timedelta(days=20), closes_in=-timedelta(hours=1))
    assert opportunity_reminders_send()["recorded"] == 0
    assert smtp_server.messages == []


def test_no_reminder_for_a_subscriber_alerted_within_the_last_day(smtp_server, topic):
    alerted = make_subscriber(deadline_reminders=True, email="alerted@example.org", topics=[topic])
    other = make_subscriber(deadline_reminders=True, email="other@example.org", topics=[topic])
    opportunity = make_opportunity(topics=[topic], closes_in=timedelta(days=5))
    Delivery.objects.create(
        subscriber=alerted,
        content_type=ContentType.objects.get_for_model(Opportunity),
        object_id=opportunity.pk,
    )
    opportunity_reminders_send()
    assert recipients(smtp_server) == [other.email]


def test_a_mail_outage_loses_no_reminder_and_sends_none_twice(smtp_server, topic):
    reader = make_subscriber(deadline_reminders=True, topics=[topic])
    make_opportunity(topics=[topic], closes_in=timedelta(days=4))
    smtp_server.stop()
    tally = opportunity_reminders_send()
    assert tally["mail_server_down"] and tally["recorded"] == 1
    assert OpportunityReminder.objects.get().state == "pending"
    smtp_server.start()
    opportunity_reminders_send()
    opportunity_reminders_send()
    assert recipients(smtp_server) == [reader.email]
    assert OpportunityReminder.objects.get().state == "sent"


def test_a_deadline_moved_later_sends_a_second_reminder_only_if_moved_over_a_week(
    smtp_server, topic
):
    make_subscriber(deadline_reminders=True, topics=[topic])
    opportunity = make_opportunity(topics=[topic], closes_in=timedelta(days=6))
    opportunity_reminders_send()
    assert len(smtp_server.messages) == 1

    # Moved three days later: inside the window again, but no second reminder.
    now = timezone.now()
    Opportunity.objects.filter(pk=opportunity.pk).update(closes_at=_moved(opportunity, days=3))
    opportunity_reminders_send(now=now + timedelta(days=3))
    assert len(smtp_server.messages) == 1

    # Moved ten days later than the deadline reminded of: a new reminder when it is due.
    Opportunity.objects.filter(pk=opportunity.pk).update(closes_at=_moved(opportunity, days=10))
    opportunity_reminders_send(now=now + timedelta(days=10))
    assert len(smtp_server.messages) == 2
    assert OpportunityReminder.objects.count() == 1


def _moved(opportunity, *, days):
    return opportunity.closes_at + timedelta(days=days)


def test_a_withdrawn_opportunity_owes_nothing(smtp_server, topic):
    make_subscriber(deadline_reminders=True, topics=[topic])
    opportunity = make_opportunity(topics=[topic], closes_in=timedelta(days=5))
    smtp_server.stop()
    opportunity_reminders_send()
    Opportunity.objects.filter(pk=opportunity.pk).update(status="draft")
    smtp_server.start()
    tally = opportunity_reminders_send()
    assert tally["skipped"] == 1
    assert smtp_server.messages == []


def test_one_email_per_subscriber_lists_all_their_deadlines_soonest_first(smtp_server, topic):
    other = make_topic(name="Health", slug="health")
    both = make_subscriber(deadline_reminders=True, email="both@example.org", topics=[topic, other])
    one = make_subscriber(deadline_reminders=True, email="one@example.org", topics=[other])
    make_opportunity(title="Later call", topics=[topic], closes_in=timedelta(days=6))
    make_opportunity(title="Sooner call", topics=[other], closes_in=timedelta(days=2))
    make_opportunity(title="Third call", topics=[topic, other], closes_in=timedelta(days=4))
    tally = opportunity_reminders_send()
    assert tally["recorded"] == 5 and tally["sent"] == 2
    assert recipients(smtp_server) == [both.email, one.email]
    by_address = {message["To"]: message for message in smtp_server.messages}
    text = by_address[both.email].get_body(("plain",)).get_content()
    assert by_address[both.email]["Subject"] == "3 funding deadlines in the coming week"
    assert text.index("Sooner call") < text.index("Third call") < text.index("Later call")
    assert "Closes in 2 days" in text
    assert by_address[one.email]["Subject"] == "2 funding deadlines in the coming week"
    # Never twice: every reminder is sent, and later runs send nothing.
    assert set(OpportunityReminder.objects.values_list("state", flat=True)) == {"sent"}
    opportunity_reminders_send()
    assert len(smtp_server.messages) == 2


def test_a_withdrawn_call_leaves_the_others_in_the_subscribers_email(smtp_server, topic):
    make_subscriber(deadline_reminders=True, topics=[topic])
    kept = make_opportunity(title="Kept call", topics=[topic], closes_in=timedelta(days=3))
    gone = make_opportunity(title="Gone call", topics=[topic], closes_in=timedelta(days=4))
    smtp_server.stop()
    opportunity_reminders_send()
    Opportunity.objects.filter(pk=gone.pk).update(status="draft")
    smtp_server.start()
    tally = opportunity_reminders_send()
    assert tally["sent"] == 1 and tally["skipped"] == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == f"Closing soon: {kept.title}"
    assert "Gone call" not in message.get_body(("plain",)).get_content()
    assert dict(OpportunityReminder.objects.values_list("opportunity_id", "state")) == {
        kept.pk: "sent",
        gone.pk: "skipped",
    }


def test_send_outbox_leaves_reminders_to_the_grouped_run(smtp_server, topic):
    make_subscriber(deadline_reminders=True, topics=[topic])
    make_opportunity(topics=[topic], closes_in=timedelta(days=3))
    make_opportunity(topics=[topic], closes_in=timedelta(days=4))
    from ktnsite.reminders import reminders_record

    assert reminders_record() == 2
    call_command("send_outbox", stdout=StringIO())
    assert smtp_server.messages == []
    opportunity_reminders_send()
    assert len(smtp_server.messages) == 1
