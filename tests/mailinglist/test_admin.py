"""Editors see subscribers by state and topic, count them per topic, export and erase them."""

import csv
import io

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from mailinglist.models import Delivery, Frequency, State, Subscriber
from tests.factories import make_post, make_staff, make_subscriber, make_topic

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/mailinglist/subscriber/"


@pytest.fixture
def admin_user(django_user_model):
    # No password: hashing one costs a second of CPU and force_login needs none.
    return django_user_model.objects.create_superuser("boss", "boss@example.org", None)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_subscribers_are_listed_and_filtered_by_state_and_topic(admin_client):
    topic = make_topic(name="Space")
    make_subscriber(email="space@example.org", topics=[topic])
    make_subscriber(email="pending@example.org", state=State.PENDING)
    by_topic = admin_client.get(CHANGELIST, {"topics__id__exact": topic.pk}).content.decode()
    assert "space@example.org" in by_topic and "pending@example.org" not in by_topic
    by_state = admin_client.get(CHANGELIST, {"state__exact": "pending"}).content.decode()
    assert "pending@example.org" in by_state and "space@example.org" not in by_state


def test_the_subscriber_list_has_a_fixed_query_budget(admin_client, django_assert_max_num_queries):
    topics = [make_topic() for _ in range(3)]
    for _ in range(20):
        make_subscriber(topics=topics)
    with django_assert_max_num_queries(12):
        assert admin_client.get(CHANGELIST).status_code == 200


def test_counts_per_topic_show_confirmed_and_pending_subscribers(admin_client):
    topic = make_topic(name="Net Zero")
    for _ in range(3):
        make_subscriber(topics=[topic])
    make_subscriber(topics=[topic], state=State.PENDING)
    make_subscriber(topics=[topic], state=State.UNSUBSCRIBED)
    response = admin_client.get("/admin/mailinglist/topicaudience/")
    rows = response.context["cl"].result_list
    row = next(r for r in rows if r.pk == topic.pk)
    assert (row.confirmed, row.pending) == (3, 1)


def test_editors_export_subscribers_as_csv_without_spreadsheet_formulas(admin_client):
    topic = make_topic(name="Agri-food")
    one = make_subscriber(email="a@example.org", topics=[topic], frequency=Frequency.WEEKLY)
    two = make_subscriber(email="=cmd@example.org")
    response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [one.pk, two.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["email", "state", "frequency", "areas of interest"]
    by_email = {row[0]: row for row in rows[1:]}
    assert by_email["a@example.org"][1:4] == ["confirmed", "weekly", "Agri-food"]
    assert "'=cmd@example.org" in by_email
    assert by_email["a@example.org"][7] == one.consent_text


def test_erasing_a_subscriber_removes_their_deliveries_and_history(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    topic = make_topic()
    gone = make_subscriber(email="forget-me@example.org", topics=[topic])
    kept = make_subscriber(topics=[topic])
    with django_capture_on_commit_callbacks(execute=True):
        make_post(topics=[topic], publish_at=timezone.now())
    assert Delivery.objects.count() == 2 and len(mail.outbox) == 2
    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(Subscriber),
        object_id=str(gone.pk),
        object_repr=gone.email,
        action_flag=CHANGE,
    )
    response = admin_client.post(CHANGELIST, {"action": "erase", "_selected_action": [gone.pk]})
    assert response.status_code == 302
    assert list(Subscriber.objects.all()) == [kept]
    assert list(Delivery.objects.values_list("subscriber", flat=True)) == [kept.pk]
    assert not LogEntry.objects.filter(object_repr__contains="forget-me").exists()


def test_editors_cannot_add_subscribers_behind_their_backs(admin_client):
    assert admin_client.get("/admin/mailinglist/subscriber/add/").status_code == 403


def test_deleting_one_subscriber_from_its_page_erases_it_too(admin_client, admin_user):
    gone = make_subscriber(email="forget-me@example.org")
    response = admin_client.post(f"{CHANGELIST}{gone.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert not LogEntry.objects.filter(object_repr__contains="forget-me").exists()
    assert LogEntry.objects.get().object_repr == f"Erased subscriber #{gone.pk}"


def test_an_editor_can_erase_a_subscriber_on_request(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    subscriber = make_subscriber(email="forget.me@example.org")
    response = client.post(
        CHANGELIST, {"action": "erase", "_selected_action": [subscriber.pk]}, follow=True
    )
    assert "Erased 1 subscriber(s)." in response.content.decode()
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
