"""The admin home's "Today": the calendar strip, late enquiries, dead letters, live findings."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from contacts.models import Enquiry
from dashboard.models import LiveFinding
from dashboard.panels import forget_panel, register_panel, working_days_before
from outbox.delivery import OutboxState
from publishing.models import Status
from tests.factories import make_contact, make_enquiry, make_post, make_report, signed_in

pytestmark = pytest.mark.django_db

ALL_VIEWS = ["view_post", "view_report", "view_enquiry", "view_delivery", "view_signupemail"]


def home(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_tomorrows_post_and_a_report_taken_down_this_week_are_on_the_strip():
    now = timezone.now()
    post = make_post(title="Budget day briefing", publish_at=now + timedelta(days=1))
    report = make_report(
        title="Winter outlook",
        publish_at=now - timedelta(days=9),
        expire_at=now + timedelta(days=3),
    )
    make_post(title="Far-off feature", publish_at=now + timedelta(days=20))
    make_post(title="Only a draft", status=Status.DRAFT, publish_at=now + timedelta(days=2))
    page = home(signed_in("eve", groups=["Editors"]))
    assert f'href="/admin/news/post/{post.pk}/change/">Budget day briefing</a>' in page
    assert "goes live" in page
    assert f'href="/admin/reports/report/{report.pk}/change/">Winter outlook</a>' in page
    assert "is taken down" in page
    assert "Far-off feature" not in page
    assert "Only a draft" not in page


def test_an_editor_who_may_not_view_reports_sees_only_posts():
    now = timezone.now()
    make_post(title="Budget day briefing", publish_at=now + timedelta(days=1))
    make_report(title="Winter outlook", publish_at=now + timedelta(days=2))
    page = home(signed_in("pat", perms=["view_post"]))
    assert "Budget day briefing" in page
    assert "Winter outlook" not in page
    # Nor the enquiries, dead letters of mail they may not read.
    assert "dashboard-late-enquiries" not in page
    assert "dashboard-dead-letters" not in page


def test_staff_who_may_view_nothing_see_no_dashboard():
    make_post(title="Budget day briefing", publish_at=timezone.now() + timedelta(days=1))
    page = home(signed_in("nobody"))
    assert 'id="dashboard-heading"' not in page
    assert "Budget day briefing" not in page


def test_titles_are_escaped_on_the_strip():
    make_post(title="<script>alert(1)</script>", publish_at=timezone.now() + timedelta(hours=2))
    page = home(signed_in("eve", groups=["Editors"]))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_enquiries_waiting_two_working_days_are_counted_per_lead_and_link_to_them():
    now = timezone.now()
    karen = make_contact(name="Karen Wilkinson")
    omar = make_contact(name="Omar Haddad")
    old = now - timedelta(days=6)
    for contact in (karen, karen, omar):
        make_enquiry(contact=contact)
    Enquiry.objects.update(created_at=old)
    make_enquiry(contact=karen)  # just in: not late
    handled = make_enquiry(contact=omar)
    Enquiry.objects.filter(pk=handled.pk).update(created_at=old, handled_at=now)
    client = signed_in("eve", groups=["Editors"])
    response = client.get("/admin/")
    panel = (
        response.content.decode().split('id="dashboard-late-enquiries"')[1].split("</section>")[0]
    )
    assert "Karen Wilkinson: <a" in panel
    assert ">2 enquiries<" in panel
    assert "Omar Haddad: <a" in panel
    assert ">1 enquiry<" in panel
    assert panel.index("Karen") < panel.index("Omar")  # most waiting first
    link = panel.split('href="')[1].split('"')[0].replace("&amp;", "&")
    listed = client.get(link)
    assert listed.status_code == 200
    assert [e.contact for e in listed.context["cl"].result_list] == [karen, karen]


def test_working_days_skip_the_weekend():
    london = ZoneInfo("Europe/London")
    monday = datetime(2026, 12, 7, 10, tzinfo=london)
    assert working_days_before(monday, 2) == datetime(2026, 12, 3, 10, tzinfo=london)
    wednesday = datetime(2026, 12, 9, 10, tzinfo=london)
    assert working_days_before(wednesday, 2) == datetime(2026, 12, 7, 10, tzinfo=london)


def test_dead_letters_are_counted_and_link_to_the_failed_ones():
    failed = make_enquiry()
    Enquiry.objects.filter(pk=failed.pk).update(state=OutboxState.FAILED)
    make_enquiry()
    client = signed_in("eve", groups=["Editors"])
    panel = home(client).split('id="dashboard-dead-letters"')[1].split("</section>")[0]
    assert "1 enquiry</a> gave up" in panel
    link = panel.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert [e.pk for e in client.get(link).context["cl"].result_list] == [failed.pk]


def test_a_live_post_with_a_problem_is_listed_until_it_is_fixed(django_capture_on_commit_callbacks):
    long_title = "A title far too long for search results and share cards to show in full"
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(title=long_title)
    client = signed_in("eve", groups=["Editors"])
    panel = home(client).split('id="dashboard-findings"')[1].split("</section>")[0]
    assert f'href="/admin/news/post/{post.pk}/change/">{long_title}</a>' in panel
    assert "The title is 71 characters long" in panel
    post.title = "Short and clear"
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
    assert not LiveFinding.objects.exists()
    assert "find nothing to fix" in home(client)


def test_the_daily_check_drops_items_no_longer_live_and_finds_new_ones():
    long_title = "A title far too long for search results and share cards to show in full"
    live = make_post(title=long_title)  # saved without its commit hook: found by the command
    gone = make_post(title=long_title + "!", expire_at=timezone.now() + timedelta(days=1))
    call_command("check_live_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(LiveFinding.objects.values_list("object_id", flat=True)) == {live.pk, gone.pk}
    type(gone).objects.filter(pk=gone.pk).update(expire_at=timezone.now())
    call_command("check_live_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(LiveFinding.objects.values_list("object_id", flat=True)) == [live.pk]


def test_an_app_adds_a_panel_with_one_call_and_it_obeys_its_permission():
    register_panel(
        "waiting-for-review",
        title="Waiting for review",
        template="dashboard/dead_letters.html",
        context=lambda request: {"rows": []},
        permission="news.change_post",
        order=20,
    )
    try:
        assert "Waiting for review" in home(signed_in("eve", groups=["Editors"]))
        assert "Waiting for review" not in home(signed_in("pat", perms=["view_post"]))
    finally:
        forget_panel("waiting-for-review")


def test_the_admin_home_costs_the_same_queries_however_much_there_is(
    django_assert_max_num_queries,
):
    def fill(n):
        now = timezone.now()
        for i in range(n):
            contact = make_contact()
            make_enquiry(contact=contact)
            make_post(publish_at=now + timedelta(days=1 + i % 10))
            make_report(publish_at=now + timedelta(days=2 + i % 10))
        Enquiry.objects.update(created_at=now - timedelta(days=7), state=OutboxState.FAILED)

    client = signed_in("eve", groups=["Editors"])
    fill(3)
    # The dashboard's panels, the review counts and the scheduler's notice, all on one page.
    # 27 with the most viewed items, subscribers per topic and enquiries per month panels
    # (test_readers' budget).
    with django_assert_max_num_queries(27) as few:
        home(client)
    fill(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        home(client)


@pytest.fixture
def gadgets_that_close():
    """Gadgets declared with a date of their own, as an opportunity declares its closing."""
    from publishing import registry
    from tests.gadgets.models import Gadget

    registry.declare_content_type(
        Gadget,
        kind="gadget",
        label="Gadget",
        plural_label="Gadgets",
        view_name="gadgets:detail",
        list_key="gadgets",
        calendar=[registry.CalendarDate("created_at", "was made")],
    )
    yield Gadget
    registry.forget_content_type(Gadget)


def test_a_type_declares_its_own_date_for_the_strip_in_one_line(gadgets_that_close):
    from dashboard.calendar import calendar_entries
    from tests.factories import make_staff

    gadget = gadgets_that_close.objects.create(
        title="Barometer",
        slug="barometer",
        status=Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(days=1),
    )
    superuser = make_staff("root")
    superuser.is_superuser = True
    entries = calendar_entries(superuser, now=gadget.created_at - timedelta(minutes=1))
    assert [(e.title, e.label, e.type_label) for e in entries] == [
        ("Barometer", "was made", "Gadget")
    ]


def test_a_misspelt_calendar_field_fails_when_the_type_is_declared():
    from django.core.exceptions import FieldDoesNotExist

    from publishing import registry
    from tests.gadgets.models import Gadget

    with pytest.raises(FieldDoesNotExist):
        registry.declare_content_type(
            Gadget,
            kind="gadget",
            label="Gadget",
            plural_label="Gadgets",
            view_name="gadgets:detail",
            list_key="gadgets",
            calendar=[registry.CalendarDate("closes_on", "closes")],
        )
    assert registry.for_model(Gadget) is None
