"""load_demo adds events around today: upcoming, moved, cancelled and past, each with its page."""

import pytest

from events.models import Event


def test_the_demo_has_events_to_come_moved_cancelled_and_past(demo, client):
    events = Event.objects.live()
    assert events.count() == 5
    assert events.upcoming().count() == 4 and events.past().count() == 1
    assert {e.event_status for e in events} == {"scheduled", "rescheduled", "cancelled"}
    for event in events:
        assert client.get(event.get_absolute_url()).status_code == 200
    html = client.get("/events/").content.decode()
    assert "Cancelled" in html and "Moved from" in html
    full = events.get(slug="net-zero-supply-chains-briefing")
    assert "join the waiting list" in client.get(full.get_absolute_url()).content.decode()
    assert full.registrations.filter(state="waiting").count() == 3
    workshop = events.get(slug="continuous-manufacturing-workshop")
    assert workshop.registrations.count() == 17 and workshop.capacity == 20


@pytest.mark.django_db
def test_loading_the_demo_again_adds_no_event(demo):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Event.objects.count() == 5


def test_the_demo_briefing_names_its_opportunity_both_ways(demo, client):
    briefing = Event.objects.get(slug="medicines-manufacturing-competition-briefing")
    opportunity = briefing.related_opportunity
    assert opportunity.slug == "medicines-manufacturing-innovation-fund"
    assert opportunity.title in client.get(briefing.get_absolute_url()).content.decode()
    assert briefing.title in client.get(opportunity.get_absolute_url()).content.decode()


def test_the_demo_past_webinar_offers_its_slides_as_a_download(demo, client):
    webinar = Event.objects.get(slug="webinar-lessons-from-the-impact-report")
    (slides,) = webinar.files.all()
    html = client.get(webinar.get_absolute_url()).content.decode()
    assert "Slides: lessons from the impact report" in html and "(PDF, " in html
    download = client.get(f"/events/{webinar.slug}/files/{slides.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
