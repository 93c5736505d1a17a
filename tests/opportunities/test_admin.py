"""The opportunities admin: the publishing rules of posts, and clear messages for bad dates, links and amounts."""

from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from ktnsite.roles import editors_group_sync
from opportunities.models import Opportunity
from publishing.content_checks import check_item
from publishing.models import Status
from tests.factories import form_values, make_opportunity, make_topic, signed_in

pytestmark = pytest.mark.django_db

ADD = "/admin/opportunities/opportunity/add/"


def _uk(moment):
    local = timezone.localtime(moment)
    return f"{local:%d/%m/%Y}", f"{local:%H:%M:%S}"


def new_form(**overrides):
    now = timezone.now()
    opens, closes = _uk(now - timedelta(days=1)), _uk(now + timedelta(days=30))
    data = {
        "title": "Smart grids",
        "slug": "smart-grids",
        "standfirst": "Money for smart grids.",
        "body": "<p>Details.</p>",
        "funder": "Innovate UK",
        "funding_type": "grant",
        "award_max": "250000",
        "opens_at_0": opens[0],
        "opens_at_1": opens[1],
        "closes_at_0": closes[0],
        "closes_at_1": closes[1],
        "apply_url": "https://apply-for-innovation-funding.service.gov.uk/competition/1",
        "_publishing": "publish",
    }
    data.update(overrides)
    return data


@pytest.fixture
def publisher():
    return _editor("pub", publish=True)


def test_a_publisher_publishes_an_opportunity(publisher, client):
    response = publisher.post(ADD, new_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    opportunity = Opportunity.objects.get(slug="smart-grids")
    assert opportunity.status == Status.PUBLISHED
    assert client.get(opportunity.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"apply_url": "http://example.org/apply"}, "apply_url", "must start with https://"),
        (
            {"apply_url": "http://127.0.0.1:8000/admin/"},
            "apply_url",
            "must start with https://",
        ),
        ({"award_max": "about a million"}, "award_max", "Enter the amount in whole pounds"),
        ({"total_pot": "£5m"}, "total_pot", "Enter the amount in whole pounds"),
    ],
)
def test_bad_links_and_amounts_get_a_clear_message(publisher, overrides, field, message):
    response = publisher.post(ADD, new_form(**overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert not Opportunity.objects.exists()


def test_an_apply_link_to_this_sites_admin_is_refused(publisher, settings):
    settings.SITE_URL = "https://www.example.org"
    response = publisher.post(ADD, new_form(apply_url="https://www.example.org/admin/"))
    assert "points at this site's admin" in " ".join(
        response.context["adminform"].form.errors["apply_url"]
    )


def test_closing_before_opening_is_refused_with_both_times_named(publisher):
    opens = _uk(timezone.now() + timedelta(days=10))
    closes = _uk(timezone.now() + timedelta(days=5))
    response = publisher.post(
        ADD,
        new_form(
            opens_at_0=opens[0], opens_at_1=opens[1], closes_at_0=closes[0], closes_at_1=closes[1]
        ),
    )
    assert response.status_code == 200
    text = " ".join(response.context["adminform"].form.errors["closes_at"])
    assert "must be after the opening time" in text and " on " in text


def _editor(name, *, publish):
    """A member of Editors, or one with all of its rights but publishing opportunities."""
    editors_group_sync(django_apps)
    if publish:
        return signed_in(name, groups=["Editors"])
    rights = Group.objects.get(name="Editors").permissions.exclude(codename="publish_opportunity")
    return signed_in(name, perms=list(rights.values_list("codename", flat=True)))


def test_an_editor_without_the_publish_right_cannot_move_a_live_deadline(client):
    opportunity = make_opportunity()
    before = opportunity.closes_at
    writer = _editor("writer", publish=False)
    url = reverse("admin:opportunities_opportunity_change", args=[opportunity.pk])
    data = form_values(writer.get(url))
    later = _uk(before + timedelta(days=14))
    data.update(closes_at_0=later[0], closes_at_1=later[1], _publishing="keep")
    writer.post(url, data)
    opportunity.refresh_from_db()
    assert opportunity.closes_at == before  # held back as unpublished changes
    assert "Closes " in client.get(opportunity.get_absolute_url()).content.decode()


def test_moving_a_live_deadline_records_a_note_readers_see(client):
    opportunity = make_opportunity(closes_in=timedelta(days=10))
    chief = _editor("chief", publish=True)
    url = reverse("admin:opportunities_opportunity_change", args=[opportunity.pk])
    data = form_values(chief.get(url))
    later = opportunity.closes_at + timedelta(days=14)
    stamp = _uk(later)
    data.update(closes_at_0=stamp[0], closes_at_1=stamp[1], _publishing="keep")
    response = chief.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    opportunity.refresh_from_db()
    assert opportunity.dates_note.startswith("Closing date extended to ")
    assert opportunity.dates_note in client.get(opportunity.get_absolute_url()).content.decode()


def test_the_list_filters_closing_this_week(publisher):
    make_opportunity(title="Soon", closes_in=timedelta(days=3))
    make_opportunity(title="Later", closes_in=timedelta(days=30))
    page = publisher.get("/admin/opportunities/opportunity/?deadline=this-week").content.decode()
    assert "Soon" in page and "Later" not in page
    assert "Closes in 3 days" in page


def test_checks_before_publishing_flag_a_past_deadline_and_a_missing_amount(publisher):
    make_topic()
    opportunity = make_opportunity(
        status=Status.DRAFT,
        publish_at=None,
        award_max=None,
        opens_in=-timedelta(days=30),
        closes_in=-timedelta(days=1),
    )
    problems = " ".join(str(finding) for finding in check_item(opportunity))
    assert "The closing time has passed" in problems
    assert "No amount is given" in problems
