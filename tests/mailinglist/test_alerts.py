"""Topic alerts: who is told when a post goes live, when, and never twice."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mailinglist import services
from mailinglist.models import Alert, Delivery, DeliveryStatus, Frequency, State
from news.models import Post
from publishing.models import Status
from tests.factories import make_post, make_report, make_subscriber, make_topic

pytestmark = pytest.mark.django_db


def run(command):
    call_command(command, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def go_live(django_capture_on_commit_callbacks):
    """Publish a post now, as the admin does: saved, topics set, then the commit."""

    def publish(topics, **fields):
        fields.setdefault("publish_at", timezone.now() - timedelta(minutes=1))
        with django_capture_on_commit_callbacks(execute=True):
            return make_post(topics=topics, **fields)

    return publish


def test_a_post_going_live_is_emailed_at_once_to_subscribers_of_its_topics(go_live, settings):
    topic, other = make_topic(), make_topic()
    reader = make_subscriber(topics=[topic])
    make_subscriber(topics=[other])
    post = go_live([topic], title="Funding for cleaner ships")
    assert [m.to for m in mail.outbox] == [[reader.email]]
    message = mail.outbox[0]
    assert message.subject == "Funding for cleaner ships"
    assert f"{settings.SITE_URL}{post.get_absolute_url()}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert post.get_absolute_url() in html
    assert message.extra_headers["List-Unsubscribe"].startswith(
        f"<{settings.SITE_URL}/mailing-list/unsubscribe/?token="
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_subscriber_of_several_of_its_topics_gets_it_once(go_live):
    topics = [make_topic(), make_topic()]
    make_subscriber(topics=topics)
    go_live(topics)
    assert len(mail.outbox) == 1


def test_pending_and_unsubscribed_addresses_get_nothing(go_live):
    topic = make_topic()
    make_subscriber(topics=[topic], state=State.PENDING)
    make_subscriber(topics=[topic], state=State.UNSUBSCRIBED)
    go_live([topic])
    assert mail.outbox == []


def test_editing_a_post_that_was_sent_does_not_send_it_again(
    go_live, django_capture_on_commit_callbacks
):
    topic = make_topic()
    make_subscriber(topics=[topic])
    post = go_live([topic])
    post.title = "Corrected title"
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
    run("send_alerts")
    assert len(mail.outbox) == 1


def test_drafts_send_nothing(go_live):
    topic = make_topic()
    make_subscriber(topics=[topic])
    go_live([topic], status=Status.DRAFT)
    run("send_alerts")
    assert mail.outbox == []
    assert not Alert.objects.exists()


def test_a_scheduled_post_is_sent_by_send_alerts_once_its_time_has_come(go_live):
    topic = make_topic()
    make_subscriber(topics=[topic])
    post = go_live([topic], publish_at=timezone.now() + timedelta(hours=2))
    run("send_alerts")
    assert mail.outbox == []
    # Its time comes: no event fires, the scheduled command finds it.
    Post.objects.filter(pk=post.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    Alert.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    run("send_alerts")
    assert len(mail.outbox) == 1
    run("send_alerts")
    assert len(mail.outbox) == 1


def test_a_scheduled_post_withdrawn_before_its_time_sends_nothing(go_live):
    topic = make_topic()
    make_subscriber(topics=[topic])
    post = go_live([topic], publish_at=timezone.now() + timedelta(minutes=5))
    Post.objects.filter(pk=post.pk).update(status=Status.DRAFT, publish_at=timezone.now())
    Alert.objects.update(due_at=timezone.now())
    run("send_alerts")
    assert mail.outbox == []
    assert not Alert.objects.exists()


def test_an_old_post_saved_as_published_is_not_news(go_live):
    topic = make_topic()
    make_subscriber(topics=[topic])
    go_live([topic], publish_at=timezone.now() - timedelta(days=30))
    run("send_alerts")
    assert mail.outbox == []


def test_reports_do_not_alert_by_default_since_a_post_announces_them(
    django_capture_on_commit_callbacks,
):
    topic = make_topic()
    make_subscriber(topics=[topic])
    with django_capture_on_commit_callbacks(execute=True):
        make_report(topics=[topic], publish_at=timezone.now())
    assert mail.outbox == []


def test_the_alert_models_are_a_setting(settings, django_capture_on_commit_callbacks):
    settings.MAILINGLIST_ALERT_MODELS = ["news.Post", "reports.Report"]
    topic = make_topic()
    make_subscriber(topics=[topic])
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report(topics=[topic], publish_at=timezone.now())
    assert len(mail.outbox) == 1
    assert report.get_absolute_url() in mail.outbox[0].body


def test_unsubscribing_cancels_what_was_still_owed(go_live):
    topic = make_topic()
    reader = make_subscriber(topics=[topic], frequency=Frequency.WEEKLY)
    go_live([topic])
    services.subscriber_unsubscribe(subscriber=reader)
    run("send_digest")
    assert mail.outbox == []
    assert Delivery.objects.get().state == DeliveryStatus.SKIPPED


def test_weekly_subscribers_get_one_digest_of_the_weeks_posts(go_live):
    topic = make_topic()
    weekly = make_subscriber(topics=[topic], frequency=Frequency.WEEKLY)
    first = go_live([topic], title="First news")
    second = go_live([topic], title="Second news")
    assert mail.outbox == []
    run("send_digest")
    assert [m.to for m in mail.outbox] == [[weekly.email]]
    body = mail.outbox[0].body
    assert "First news" in body and "Second news" in body
    assert first.get_absolute_url() in body and second.get_absolute_url() in body
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    run("send_digest")
    assert len(mail.outbox) == 1


def test_a_digest_leaves_out_posts_withdrawn_since(go_live):
    topic = make_topic()
    make_subscriber(topics=[topic], frequency=Frequency.WEEKLY)
    go_live([topic], title="Still here")
    gone = go_live([topic], title="Withdrawn")
    Post.objects.filter(pk=gone.pk).update(status=Status.DRAFT)
    run("send_digest")
    assert "Still here" in mail.outbox[0].body
    assert "Withdrawn" not in mail.outbox[0].body


def test_titles_are_escaped_in_the_html_part(go_live):
    topic = make_topic()
    make_subscriber(topics=[topic])
    go_live([topic], title="<script>alert(1)</script> & more")
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    assert "<script>alert(1)</script> & more" in mail.outbox[0].body


def test_a_mail_server_that_is_down_loses_nothing(go_live, smtp_server):
    topic = make_topic()
    reader = make_subscriber(topics=[topic])
    smtp_server.stop()
    go_live([topic])
    assert Delivery.objects.get().state == DeliveryStatus.PENDING
    smtp_server.start()
    run("send_alerts")
    assert [envelope[1] for envelope in smtp_server.envelopes] == [[reader.email]]
    assert Delivery.objects.get().state == DeliveryStatus.SENT


def test_a_post_published_without_a_save_is_found_by_the_next_run(go_live):
    topic = make_topic()
    make_subscriber(topics=[topic])
    post = go_live([topic], status=Status.DRAFT)
    # A bulk "publish" action updates rows: no save, so no signal.
    Post.objects.filter(pk=post.pk).update(status=Status.PUBLISHED)
    run("send_alerts")
    assert len(mail.outbox) == 1
    run("send_alerts")
    assert len(mail.outbox) == 1


def test_old_posts_are_not_swept_up_by_the_first_run(go_live):
    topic = make_topic()
    make_subscriber(topics=[topic])
    go_live([topic], status=Status.DRAFT, publish_at=timezone.now() - timedelta(days=3))
    Post.objects.update(status=Status.PUBLISHED)
    run("send_alerts")
    assert mail.outbox == []


def test_an_address_the_server_refuses_does_not_stop_the_others(go_live, smtp_server):
    topic = make_topic()
    make_subscriber(topics=[topic], email="bounce@example.org")
    reader = make_subscriber(topics=[topic])
    smtp_server.handle_RCPT = _refusing("bounce@example.org")  # aiosmtpd's RCPT hook
    go_live([topic])
    assert [rcpts for _, rcpts in smtp_server.envelopes] == [[reader.email]]
    failed = Delivery.objects.get(subscriber__email="bounce@example.org")
    assert (failed.state, failed.attempts) == (DeliveryStatus.PENDING, 1)
    assert "550" in failed.last_error


def _refusing(address):
    async def handle_RCPT(server, session, envelope, rcpt, options):
        if rcpt == address:
            return "550 No such user here"
        envelope.rcpt_tos.append(rcpt)
        return "250 OK"

    return handle_RCPT


def test_a_post_published_through_the_admin_reaches_subscribers_of_the_topics_ticked(
    client, django_user_model, django_capture_on_commit_callbacks
):
    # The admin saves topics after the post itself: the alert must read them after commit.
    topic = make_topic()
    reader = make_subscriber(topics=[topic])
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.org", None))
    now = timezone.localtime()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/news/post/add/",
            {
                "title": "Made in the admin",
                "slug": "made-in-the-admin",
                "standfirst": "From the editor's desk.",
                "body": "<p>Body.</p>",
                "topics": [topic.pk],
                "status": Status.PUBLISHED,
                "publish_at_0": now.strftime("%d/%m/%Y"),
                "publish_at_1": now.strftime("%H:%M:%S"),
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert mail.outbox[0].subject == "Made in the admin"


def test_a_dead_runs_claim_is_taken_over_and_sent_once(go_live):
    """At least once (outbox.delivery): a run that died mid-batch leaves rows "sending";
    once the claim is older than OUTBOX_CLAIM_TIMEOUT_SECONDS, the next run sends them."""
    topic = make_topic()
    reader = make_subscriber(topics=[topic])
    go_live([topic])
    # A run claimed it two hours ago and died before recording whether it went out.
    Delivery.objects.update(
        state=DeliveryStatus.SENDING, claimed_at=timezone.now() - timedelta(hours=2)
    )
    mail.outbox.clear()
    call_command("send_alerts", stdout=io.StringIO())
    call_command("send_alerts", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<delivery-")
    assert Delivery.objects.get().state == DeliveryStatus.SENT


def test_a_batch_being_sent_right_now_is_not_taken_over(go_live):
    topic = make_topic()
    make_subscriber(topics=[topic])
    go_live([topic])
    Delivery.objects.update(state=DeliveryStatus.SENDING, claimed_at=timezone.now())
    mail.outbox.clear()
    call_command("send_alerts", stdout=io.StringIO())
    assert mail.outbox == []
    assert Delivery.objects.get().state == DeliveryStatus.SENDING
