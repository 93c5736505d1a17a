"""Operators' admin screens of the scheduler (the overdue notice, jobs, runs) pass axe and
work by keyboard."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.utils import timezone

from scheduling.models import Job, JobRun
from scheduling.runner import jobs_sync
from tests.browser.test_admin_accessibility import WCAG22_AA

PASSWORD = "a long operator password"


@pytest.fixture
def operator_page(page, live_server):
    jobs_sync()
    Job.objects.filter(name="send_digest").update(created_at=timezone.now() - timedelta(days=15))
    JobRun.objects.create(
        job="send_outbox", outcome="succeeded", counts={"sent": 2}, finished_at=timezone.now()
    )
    User.objects.create_superuser("olga", "olga@example.org", PASSWORD)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url, wait_until="load")
    return page


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/scheduling/job/", "/admin/scheduling/jobrun/", "run"],
    ids=["home-with-notice", "jobs", "runs", "run"],
)
def test_scheduler_screens_have_no_wcag22_axe_violations(operator_page, path):
    if path == "run":
        path = f"/admin/scheduling/jobrun/{JobRun.objects.get().pk}/change/"
    assert operator_page.goto(path).status == 200
    operator_page.wait_for_load_state("load")
    results = Axe().run(operator_page, options=WCAG22_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_overdue_notice_leads_by_keyboard_to_the_jobs_runs(operator_page):
    notice = operator_page.get_by_role("status").filter(has_text="Scheduled jobs overdue")
    link = notice.get_by_role("link", name="send_digest")
    link.focus()
    operator_page.keyboard.press("Enter")
    operator_page.wait_for_url("**/admin/scheduling/jobrun/?job=send_digest")
