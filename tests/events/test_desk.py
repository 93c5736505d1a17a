"""The editors' desk for events: the same tools as posts (previews, checks, working copies,
history, the link chooser), reached through the event's own admin."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from events.models import Event
from ktnsite.roles import EDITORS, editors_group_sync
from publishing.content_checks import check_item
from publishing.links import stable_url
from tests.events.test_admin import event_form
from tests.factories import make_event, make_image, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    editors_group_sync(apps)
    return signed_in("erin", groups=[EDITORS])


@pytest.fixture
def writer():
    """May write events but not publish them."""
    return signed_in("wes", perms=["add_event", "change_event", "view_event"])


def test_the_change_page_opens_with_the_publishing_buttons(editor):
    event = make_event()
    response = editor.get(reverse("admin:events_event_change", args=[event.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_publishing"' in html
    assert "Enter times in UK time" in html
    assert 'name="edit_base"' in html


def test_unsaved_changes_are_previewed_and_not_saved(editor):
    event = make_event(title="Stored title")
    response = editor.post(
        reverse("admin:events_event_preview", args=[event.pk]),
        event_form(event, title="Typed but not saved"),
    )
    assert response.status_code == 200
    assert "Typed but not saved" in response.content.decode()
    assert Event.objects.get().title == "Stored title"


def test_a_writers_change_to_a_live_event_is_kept_as_unpublished_changes(writer):
    event = make_event(title="Live title")
    response = writer.post(
        reverse("admin:events_event_change", args=[event.pk]),
        event_form(
            event,
            title="Proposed title",
            _publishing="changes_draft",
            status="published",
            publish_at_0=f"{timezone.localtime(event.publish_at):%d/%m/%Y}",
            publish_at_1=f"{timezone.localtime(event.publish_at):%H:%M:%S}",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert event.title == "Live title"  # readers still see the live version
    assert Event.objects.live_with_changes().count() == 1


def test_saves_are_kept_in_history(editor):
    response = editor.post(reverse("admin:events_event_add"), event_form())
    assert response.status_code == 302
    event = Event.objects.get()
    assert Version.objects.get_for_object(event).count() == 1
    assert editor.get(reverse("admin:events_event_history", args=[event.pk])).status_code == 200


def test_checks_before_publishing_look_at_events_too(editor):
    image = make_image(alt="", alt_pending=True)  # as a WordPress import leaves it
    event = make_event(image=image, body='<p><a href="/go/post/999999/">gone</a></p>')
    problems = " ".join(finding.problem for finding in check_item(event))
    assert "no alt text" in problems
    response = editor.post(reverse("admin:events_event_checks", args=[event.pk]), event_form(event))
    assert response.status_code == 200


def test_a_body_link_to_an_event_goes_to_its_page(client):
    event = make_event()
    response = client.get(stable_url("event", event.pk))
    assert response.status_code in (301, 302)
    assert response["Location"].endswith(event.get_absolute_url())


def test_the_link_chooser_finds_events(editor):
    make_event(title="Hydrogen briefing")
    response = editor.get("/admin/link-search/?q=Hydrogen")
    assert response.status_code == 200
    assert "Hydrogen briefing" in response.content.decode()
