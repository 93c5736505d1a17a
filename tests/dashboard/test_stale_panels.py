"""A kept panel past its five minutes is shown at once while one task makes it anew."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache

from dashboard import counts, panels
from dashboard.tasks import refresh_dashboard_panels
from tests.factories import make_report, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    """The queue as a worker would find it: tasks wait instead of running in the request."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend.results


def _downloads(html):
    readers = html.split('id="dashboard-readers"')[1].split("</section>")[0]
    part = readers.split('id="readers-downloads-heading"')[1]
    part = part.split('id="readers-searches-heading"')[0]
    return re.findall(r'<a href="[^"]+">([^<]+)</a></th><td>(\d+)</td>', part)


def _age(username, *, minutes, days=0, vary="30"):
    """Make `username`'s kept readers' panel look as if it was made `minutes` ago (and on a
    day `days` before)."""
    user = get_user_model().objects.get(username=username)
    key = panels._cache_key(panels._panels["readers"], panels.permission_set(user), vary)
    entry = cache.get(key)
    entry["made"] -= minutes * 60
    entry["day"] -= timedelta(days=days)
    cache.set(key, entry)


@pytest.fixture
def report():
    report = make_report(title="Winter outlook")
    counts.add("download", f"report-{report.pk}", n=4)
    return report


def test_a_stale_panel_is_shown_at_once_and_one_refresh_is_queued(report, queue):
    client = signed_in("eve", groups=["Editors"])
    assert _downloads(client.get("/admin/").content.decode()) == [("Winter outlook", "4")]
    counts.add("download", f"report-{report.pk}", n=5)
    _age("eve", minutes=6)
    # Two editors' visits after the five minutes: both see the kept figures, one refresh.
    for _ in range(2):
        html = client.get("/admin/").content.decode()
        assert _downloads(html) == [("Winter outlook", "4")]
        assert "Figures as of" in html
    assert [result.task for result in queue] == [refresh_dashboard_panels]
    assert queue[0].kwargs["panels"] == ["readers"]  # the one found stale
    # The worker runs it: the next visit has the new figures, and nothing more is queued.
    refresh_dashboard_panels.call(*queue[0].args, **queue[0].kwargs)
    assert _downloads(client.get("/admin/").content.decode()) == [("Winter outlook", "9")]
    assert len(queue) == 1


def test_with_the_tests_immediate_queue_the_visit_after_a_stale_one_is_fresh(report):
    client = signed_in("eve", groups=["Editors"])
    client.get("/admin/")
    counts.add("download", f"report-{report.pk}", n=5)
    _age("eve", minutes=6)
    assert _downloads(client.get("/admin/").content.decode()) == [("Winter outlook", "4")]
    assert _downloads(client.get("/admin/").content.decode()) == [("Winter outlook", "9")]


def test_a_copy_made_the_day_before_is_shown_and_refreshed_not_lost_at_midnight(report, queue):
    client = signed_in("eve", groups=["Editors"])
    client.get("/admin/")
    _age("eve", minutes=1, days=1)  # within five minutes, but its "30 days" ended yesterday
    assert _downloads(client.get("/admin/").content.decode()) == [("Winter outlook", "4")]
    assert [result.task for result in queue] == [refresh_dashboard_panels]


def test_no_stale_copy_is_shown_after_the_grace_period(report, queue, settings):
    settings.DASHBOARD_PANEL_STALE_SECONDS = 60 * 60
    client = signed_in("eve", groups=["Editors"])
    client.get("/admin/")
    counts.add("download", f"report-{report.pk}", n=5)
    _age("eve", minutes=61)
    # Computed in the visit, as when nothing is kept; no refresh queued.
    assert _downloads(client.get("/admin/").content.decode()) == [("Winter outlook", "9")]
    assert queue == []


def test_a_refresh_holds_what_the_visitors_permission_set_may_see(report, queue):
    signed_in("eve", groups=["Editors"]).get("/admin/")
    sam = signed_in("sam", perms=["view_dailycount"])  # the counts, but not reports
    assert "Winter outlook" not in sam.get("/admin/").content.decode()
    _age("sam", minutes=6)
    _age("eve", minutes=6)
    sam.get("/admin/")  # stale: sam's set's refresh is queued, made as sam
    refresh_dashboard_panels.call(*queue[0].args, **queue[0].kwargs)
    html = sam.get("/admin/").content.decode()
    assert "dashboard-readers" in html and "Winter outlook" not in html
    # One without the right to the counts never sees the panel, stale or fresh.
    html = signed_in("pat", perms=["view_report"]).get("/admin/").content.decode()
    assert "dashboard-readers" not in html


def test_a_refresh_queued_before_the_editors_rights_changed_makes_nothing(report, queue):
    eve = signed_in("eve", groups=["Editors"])
    eve.get("/admin/")
    _age("eve", minutes=6)
    eve.get("/admin/")
    user = get_user_model().objects.get(username="eve")
    user.groups.remove(Group.objects.get(name="Editors"))
    assert refresh_dashboard_panels.call(*queue[0].args, **queue[0].kwargs) == []
    # Now of another set, without the counts: no panel at all.
    assert "dashboard-readers" not in eve.get("/admin/").content.decode()
