"""Readers' pages: the finder with its filters and pages, and an opportunity's page in each state."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from opportunities.models import Opportunity
from publishing.models import Status
from tests.factories import make_contact, make_opportunity, make_report, make_topic

pytestmark = pytest.mark.django_db


def titles(response):
    return [item.title for item in response.context["opportunity_list"]]


def test_the_finder_lists_open_and_upcoming_soonest_deadline_first(client):
    later = make_opportunity(title="Later", closes_in=timedelta(days=40))
    sooner = make_opportunity(title="Sooner", closes_in=timedelta(days=3))
    upcoming = make_opportunity(
        title="Upcoming", opens_in=timedelta(days=2), closes_in=timedelta(days=20)
    )
    make_opportunity(title="Closed", opens_in=-timedelta(days=40), closes_in=-timedelta(days=1))
    make_opportunity(title="Draft", status=Status.DRAFT)
    response = client.get("/opportunities/")
    assert response.status_code == 200
    assert titles(response) == [sooner.title, upcoming.title, later.title]
    page = response.content.decode()
    assert "3 opportunities" in page
    assert "Closes in 3 days" in page and "Opens " in page


def test_closed_opportunities_have_their_own_view_latest_deadline_first(client):
    make_opportunity(title="Open")
    make_opportunity(title="Old", opens_in=-timedelta(days=90), closes_in=-timedelta(days=30))
    make_opportunity(title="Recent", opens_in=-timedelta(days=90), closes_in=-timedelta(days=2))
    response = client.get("/opportunities/?state=closed")
    assert titles(response) == ["Recent", "Old"]
    assert "Closed on " in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=open", {"grant-sme", "loan-large", "any-business"}),
        ("state=upcoming", {"prize-research"}),
        ("state=closing-soon", {"loan-large"}),
        ("topic=net-zero", {"grant-sme", "prize-research"}),
        ("funder=UKRI", {"prize-research"}),
        ("type=loan", {"loan-large"}),
        ("band=up-to-100k", {"grant-sme"}),
        ("band=over-1m", {"loan-large"}),
        ("who=sme", {"grant-sme", "any-business"}),
        ("who=large", {"loan-large", "any-business"}),
        ("who=research", {"prize-research"}),
        ("topic=net-zero&who=sme&type=grant", {"grant-sme"}),
    ],
)
def test_each_filter_and_their_combination(client, query, expected):
    net_zero = make_topic(name="Net zero", slug="net-zero")
    make_opportunity(slug="grant-sme", topics=[net_zero], award_max=50_000, eligible_sme=True)
    make_opportunity(
        slug="loan-large",
        funding_type="loan",
        award_max=2_000_000,
        eligible_large=True,
        closes_in=timedelta(days=2),
    )
    make_opportunity(
        slug="prize-research",
        topics=[net_zero],
        funder="UKRI",
        funding_type="prize",
        eligible_research=True,
        opens_in=timedelta(days=5),
        closes_in=timedelta(days=50),
    )
    make_opportunity(slug="any-business", award_max=None, eligible_any_business=True)
    response = client.get(f"/opportunities/?{query}")
    assert response.status_code == 200
    found = {item.slug for item in response.context["opportunity_list"]}
    assert found == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("state=archived", "Choose open, closing soon, upcoming or closed."),
        ("topic=no-such-topic", "There is no such topic."),
        ("funder=Nobody", "No opportunity is funded by that funder."),
        ("type=gift", "There is no such funding type."),
        ("band=huge", "There is no such funding band."),
        ("who=aliens", "There is no such kind of organisation."),
        ("next=garbage", "That page link is broken"),
    ],
)
def test_bad_filter_values_get_a_clear_message_and_400(client, query, message):
    make_opportunity()
    response = client.get(f"/opportunities/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_page_past_the_end_is_404(client):
    make_opportunity()
    response = client.get("/opportunities/?next=2099-01-01T00:00:00.000000Z~999")
    assert response.status_code == 404


def test_pages_follow_each_other_without_counting_positions(client):
    made = [make_opportunity(closes_in=timedelta(days=10 + n)) for n in range(23)]
    seen = []
    response = client.get("/opportunities/")
    while True:
        seen += [item.pk for item in response.context["opportunity_list"]]
        page = response.context["page_obj"]
        if not page.has_next:
            break
        response = client.get(f"/opportunities/?next={page.next_key}")
        assert response.status_code == 200
    assert seen == [item.pk for item in made]
    back = client.get(f"/opportunities/?prev={response.context['page_obj'].previous_key}")
    assert [item.pk for item in back.context["opportunity_list"]] == [
        item.pk for item in made[10:20]
    ]


def test_empty_filters_redirect_to_a_short_address(client):
    response = client.get("/opportunities/?topic=&type=grant")
    assert response.status_code == 302
    assert response["Location"] == "/opportunities/?type=grant"


@pytest.mark.parametrize("count", [1, 12])
def test_the_finder_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    topics = [make_topic(), make_topic()]
    for _ in range(count):
        make_opportunity(topics=topics)
    # The funders offered, the topics offered, when anything next changes by the clock (the
    # three kept until then), and the page with its count and each card's topics.
    with django_assert_max_num_queries(4):
        assert client.get("/opportunities/?who=sme").status_code == 200
    # Then one query a page, whatever the filters, the results or the depth.
    for query in ("?who=sme", "?state=closed", f"?topic={topics[0].slug}", "?funder=Innovate+UK"):
        with django_assert_max_num_queries(1):
            response = client.get(f"/opportunities/{query}")
        assert response.status_code == 200
    for query in ("", f"?topic={topics[0].slug}", "?funder=Innovate+UK&type=grant"):
        with django_assert_max_num_queries(1):
            response = client.get(f"/opportunities/{query}")
        assert f"{count} opportunit" in response.content.decode()
        assert len(response.context["opportunity_list"]) == min(count, 10)
    if count > 10:
        with django_assert_max_num_queries(1):
            second = client.get(f"/opportunities/?next={response.context['page_obj'].next_key}")
        assert f"{count} opportunities" in second.content.decode()
        assert second.context["page_obj"].has_previous
        assert not second.context["page_obj"].has_next


def test_each_card_lists_its_topics_in_topic_order(client):
    later = make_topic(name="Zinc", slug="zinc", ordering=1)
    sooner = make_topic(name="Hydrogen", slug="hydrogen", ordering=2)
    alpha = make_topic(name="Batteries", slug="batteries", ordering=2)
    make_opportunity(title="Several", topics=[sooner, later, alpha])
    make_opportunity(title="None", closes_in=timedelta(days=60))
    page = client.get("/opportunities/").content.decode()
    several, none = page.split('<article class="card opportunity-card">')[1:3]
    assert "Several" in several and "None" in none
    assert [chunk.split('"')[0] for chunk in several.split('<a href="/topics/')[1:]] == [
        "zinc/",
        "batteries/",
        "hydrogen/",
    ]
    assert 'aria-label="Topics"' not in none


def test_a_finder_card_shows_the_state_the_date_that_matters_and_the_money(client):
    make_opportunity(
        title="Open <b>call</b>",
        funder="Fund & Co",
        award_max=250_000,
        closes_in=timedelta(days=30),
    )
    make_opportunity(
        title="Later call",
        opens_in=timedelta(days=20),
        closes_in=timedelta(days=50),
        award_max=None,
        total_pot=2_000_000,
    )
    response = client.get("/opportunities/")
    # The cards come from their template, not from markup written in the view.
    assert "includes/opportunity_card.html" in [t.name for t in response.templates]
    open_card, later_card = response.content.decode().split(
        '<article class="card opportunity-card">'
    )[1:3]
    assert '<h2 class="card__title">' in open_card
    assert "Open &lt;b&gt;call&lt;/b&gt;</a></h2>" in open_card
    assert "opportunity-state--open" in open_card and "<strong" in open_card
    assert "Fund &amp; Co · Grant · Up to £250,000 per project</p>" in open_card
    assert "opportunity-state--upcoming" in later_card
    assert "<time datetime=" in later_card and ">Opens " in later_card
    assert "· £2 million in total</p>" in later_card


def test_the_filters_offer_new_funders_and_topics_at_once(client):
    make_opportunity(funder="Innovate UK")
    assert "UKRI" not in client.get("/opportunities/").content.decode()
    make_opportunity(funder="UKRI")
    make_topic(name="Quantum", slug="quantum")
    page = client.get("/opportunities/").content.decode()
    assert '<option value="UKRI">UKRI</option>' in page
    assert '<option value="quantum">Quantum</option>' in page
    assert client.get("/opportunities/?funder=UKRI&topic=quantum").status_code == 200


def test_a_funder_appears_in_the_filter_when_its_call_goes_live_with_no_save(client):
    make_opportunity(funder="Innovate UK")
    make_opportunity(funder="Scheduled Fund", publish_at=timezone.now() + timedelta(seconds=2))
    assert "Scheduled Fund" not in client.get("/opportunities/").content.decode()
    time.sleep(2.2)
    page = client.get("/opportunities/").content.decode()
    assert '<option value="Scheduled Fund">Scheduled Fund</option>' in page


def test_an_open_opportunity_page_shows_dates_funding_and_the_apply_link(client):
    contact = make_contact(name="Ada Lovelace")
    report = make_report(title="The state of hydrogen")
    opportunity = make_opportunity(
        title="Hydrogen innovation",
        total_pot=5_000_000,
        award_max=500_000,
        eligible_sme=True,
        eligible_research=True,
        contacts=[contact],
    )
    opportunity.reports.add(report)
    response = client.get(opportunity.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Open</strong>" in page
    assert "£5 million" in page and "Up to £500,000 per project" in page
    assert "Micro or SME business, Research organisation" in page
    assert 'href="https://apply-for-innovation-funding.service.gov.uk/"' in page
    assert "Ada Lovelace" in page and "The state of hydrogen" in page
    assert ("GMT on " in page) or ("BST on " in page)


def test_a_closed_opportunity_loses_its_apply_link_and_points_to_open_ones(client):
    topic = make_topic(name="Quantum", slug="quantum")
    closed = make_opportunity(
        topics=[topic], opens_in=-timedelta(days=40), closes_in=-timedelta(minutes=1)
    )
    other = make_opportunity(topics=[topic], title="Quantum missions")
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "Closed on " in page
    assert "apply-for-innovation-funding" not in page
    assert "/opportunities/?topic=quantum" in page
    assert other.title in page


def test_the_page_describes_the_grant_to_machines(client):
    opportunity = make_opportunity(funder="Innovate UK", award_max=750_000)
    page = client.get(opportunity.get_absolute_url()).content.decode()
    blocks = [
        json.loads(chunk.split("</script>")[0])
        for chunk in page.split('<script type="application/ld+json">')[1:]
    ]
    grant = next(block for block in blocks if block.get("@type") == "MonetaryGrant")
    assert grant["funder"]["name"] == "Innovate UK"
    assert grant["amount"] == {"@type": "MonetaryAmount", "currency": "GBP", "maxValue": 750_000}
    assert grant["potentialAction"]["endTime"].startswith(
        timezone.localtime(opportunity.closes_at).strftime("%Y-%m-%d")
    )


def test_a_draft_is_404_to_readers(client):
    draft = make_opportunity(status=Status.DRAFT, publish_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_typed_text_is_escaped_and_the_body_sanitised(client):
    opportunity = make_opportunity(
        funder="<script>alert(1)</script>Funder",
        body='<p onclick="x()">Fine</p><script>alert(2)</script>',
    )
    page = client.get(opportunity.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)" in page
    assert "onclick" not in Opportunity.objects.get(pk=opportunity.pk).body


def test_the_opportunity_page_has_a_fixed_query_budget(client, django_assert_max_num_queries):
    opportunity = make_opportunity(
        topics=[make_topic() for _ in range(4)], contacts=[make_contact() for _ in range(3)]
    )
    opportunity.reports.add(make_report(), make_report())
    # The row, its topics, contacts, reports, related posts.
    with django_assert_max_num_queries(6):
        assert client.get(opportunity.get_absolute_url()).status_code == 200


def test_the_home_page_shows_the_three_open_calls_closing_soonest(client):
    for days in (30, 5, 12, 8):
        make_opportunity(title=f"Closes in {days}", closes_in=timedelta(days=days))
    make_opportunity(title="Not open yet", opens_in=timedelta(days=1), closes_in=timedelta(days=2))
    page = client.get("/").content.decode()
    shown = [f"Closes in {days}" for days in (5, 8, 12)]
    assert all(f">{title}</a>" in page for title in shown)
    assert page.index(">Closes in 5<") < page.index(">Closes in 8<") < page.index(">Closes in 12<")
    assert ">Closes in 30<" not in page and "Not open yet" not in page


def test_a_topic_hub_lists_its_open_opportunities_first(client):
    topic = make_topic(name="Quantum", slug="quantum")
    make_opportunity(title="Quantum missions", topics=[topic])
    make_opportunity(title="Elsewhere")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Quantum missions" in page and "Elsewhere" not in page
    assert page.index('id="topic-opportunities"') < page.index('id="topic-news"')


def test_the_deadline_calendar_file_reads_back_with_its_time_zone(client):
    import icalendar

    opportunity = make_opportunity(title="Heat pumps")
    page = client.get(opportunity.get_absolute_url()).content.decode()
    assert f"/opportunities/{opportunity.slug}/deadline.ics" in page
    response = client.get(f"/opportunities/{opportunity.slug}/deadline.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    zones = [zone["TZID"] for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/London"]
    (event,) = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "Deadline: Heat pumps"
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/London"
    assert start == opportunity.closes_at.replace(microsecond=0)


def test_there_is_no_calendar_file_for_a_draft(client):
    draft = make_opportunity(status=Status.DRAFT, publish_at=None)
    assert client.get(f"/opportunities/{draft.slug}/deadline.ics").status_code == 404
