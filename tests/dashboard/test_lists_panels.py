"""The mailing list's and contacts' figures on the admin home: subscribers and sign-ups per
topic week by week, and enquiries per lead month by month, each a chart and its table."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from mailinglist.models import State
from tests.factories import (
    make_contact,
    make_enquiry,
    make_subscriber,
    make_topic,
    signed_in,
)

pytestmark = pytest.mark.django_db


def _panel(html, key):
    return html.split(f'id="dashboard-{key}"')[1].split("</section>")[0]


def _rows(panel):
    """[(row heading, [numbers])] of a panel's table."""
    found = []
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", panel):
        heading = re.sub(r"<[^>]+>", "", row.split("</th>")[0])
        found.append((heading, [int(n) for n in re.findall(r"<td>(\d+)</td>", row)]))
    return found


def test_subscribers_and_sign_ups_per_topic_week_by_week():
    heat, hydrogen = make_topic(name="Heat pumps"), make_topic(name="Hydrogen")
    now = timezone.now()
    make_subscriber(topics=[heat, hydrogen])
    make_subscriber(topics=[heat], confirmed_at=now - timedelta(weeks=1))
    make_subscriber(topics=[heat], confirmed_at=now - timedelta(weeks=30))  # before the weeks
    make_subscriber(topics=[hydrogen], state=State.PENDING)  # not confirmed: not counted
    make_subscriber(
        topics=[],
        state=State.UNSUBSCRIBED,
        confirmed_at=now - timedelta(weeks=40),
        unsubscribed_at=now,
    )
    panel = _panel(
        signed_in("eve", groups=["Editors"]).get("/admin/").content.decode(), "subscribers"
    )
    rows = dict(_rows(panel))
    # Subscribers now, twelve weeks of sign-ups (oldest first), then the sign-ups in all.
    assert rows["Heat pumps"] == [3] + [0] * 10 + [1, 1] + [2]
    assert rows["Hydrogen"] == [1] + [0] * 11 + [1] + [1]
    # The bars draw the subscribers now, the longest for the most.
    drawn = re.findall(r'class="dashboard-chart-value">(\d+)</text>', panel)
    assert drawn == ["3", "1"]
    this_week = [n for heading, n in _rows(panel) if heading == timezone.localdate().strftime("%-d %b %Y")
                 or heading.endswith(str(timezone.localdate().year))]  # fmt: skip
    assert this_week[-1] == [1, 1]  # this week: one sign-up, one unsubscribe


def test_enquiries_per_lead_per_month_with_forwards_counted_once():
    karen, omar = make_contact(name="Karen Wilkinson"), make_contact(name="Omar Shah")
    make_enquiry(contact=karen)
    make_enquiry(contact=karen)
    first = make_enquiry(contact=omar)
    make_enquiry(contact=karen, forwarded_from=first)  # a forward: one reader's enquiry
    old = make_enquiry(contact=omar)
    from contacts.models import Enquiry

    Enquiry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=45))
    ancient = make_enquiry(contact=omar)
    Enquiry.objects.filter(pk=ancient.pk).update(created_at=timezone.now() - timedelta(days=400))
    html = signed_in("eve", groups=["Editors"]).get("/admin/").content.decode()
    panel = _panel(html, "enquiries-per-month")
    rows = dict(_rows(panel))
    assert rows["Karen Wilkinson"][-2:] == [2, 2]  # this month, and in all
    assert sum(rows["Omar Shah"][:-1]) == rows["Omar Shah"][-1] == 2
    assert len(rows["Karen Wilkinson"]) == 7  # six months and the total
    assert list(rows) == ["Karen Wilkinson", "Omar Shah"]
    assert "contact__id__exact=" in panel


def test_figures_need_their_rights_and_names_are_escaped():
    make_contact(name="<b>Karen</b>")
    make_enquiry(contact=make_contact(name="<script>x</script>"))
    make_subscriber(topics=[make_topic(name="<i>Heat</i>")])
    page = signed_in("pat", perms=["view_post"]).get("/admin/").content.decode()
    assert "dashboard-subscribers" not in page and "dashboard-enquiries-per-month" not in page
    page = signed_in("eve", groups=["Editors"]).get("/admin/").content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<i>Heat</i>" not in page


def test_the_panels_cost_the_same_queries_with_many_subscribers_and_enquiries(
    django_assert_max_num_queries, settings
):
    settings.DASHBOARD_PANEL_CACHE_SECONDS = 0  # nothing kept: the panels' own queries
    client = signed_in("eve", groups=["Editors"])
    topic = make_topic()
    make_subscriber(topics=[topic])
    make_enquiry()
    client.get("/admin/")
    with django_assert_max_num_queries(27) as few:  # test_readers' budget
        client.get("/admin/")
    topics = [make_topic() for _ in range(5)]
    for n in range(30):
        make_subscriber(
            topics=topics[: n % 5 + 1], confirmed_at=timezone.now() - timedelta(days=n * 3)
        )
        make_enquiry(contact=make_contact()) if n % 3 == 0 else make_enquiry()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/admin/")
