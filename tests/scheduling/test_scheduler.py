"""The one scheduler: jobs declared in code, each run claimed in the database and recorded."""

import ast
import io
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from mailinglist.models import State, Subscriber
from scheduling import register_job, registered_jobs
from scheduling.command import JobCommand
from scheduling.models import Job, JobRun
from scheduling.registry import _JOBS
from scheduling.runner import job_claim, jobs_sync, run_due
from tests.factories import jobs_fresh, make_enquiry, make_subscriber, signed_in
from tests.site_processes import KINDS, fresh_database, manage, site_env


@pytest.fixture
def extra_job():
    """Declare a job for one test, as an app would, and forget it after."""
    names = []

    def declare(name, run, **options):
        names.append(name)
        return register_job(name, run, **options)

    yield declare
    for name in names:
        _JOBS.pop(name, None)


def _make_due(*names):
    """Only these jobs are due: the others' next slot is moved out of the way (a long test
    run would otherwise find the 5-minute jobs due since the test database was made)."""
    jobs_sync()
    now = timezone.now()
    Job.objects.exclude(name__in=names).update(next_run_at=now + timedelta(days=1))
    Job.objects.filter(name__in=names).update(next_run_at=now - timedelta(seconds=1))


def test_every_periodic_job_is_declared_once_with_its_interval():
    jobs = registered_jobs()
    assert {name: job.every for name, job in jobs.items()} == {
        "send_outbox": timedelta(minutes=5),
        "send_alerts": timedelta(minutes=5),
        "send_digest": timedelta(weeks=1),
        "purge_unconfirmed": timedelta(days=1),
        "purge_enquiries": timedelta(days=1),
        "search_words": timedelta(days=1),
        "prune_job_runs": timedelta(days=1),
        "check_live_content": timedelta(days=1),
        "prune_referrers": timedelta(days=1),
        "flush_view_counts": timedelta(minutes=1),
        "send_event_reminders": timedelta(minutes=5),
        "purge_registrations": timedelta(days=1),
        "send_opportunity_reminders": timedelta(hours=1),
        "check_apply_links": timedelta(hours=6),
        "roll_up_reader_counts": timedelta(hours=1),
    }
    # The weekly digest goes out on Mondays at 08:00 UTC, whenever the site started.
    assert jobs["send_digest"].slot_after(timezone.now()).strftime("%a %H:%M") == "Mon 08:00"


def test_declaring_a_job_with_no_interval_is_refused_with_a_clear_message(extra_job):
    with pytest.raises(ValueError, match="every= must be a positive timedelta"):
        extra_job("reminders", lambda: None, every=timedelta(0))


def test_a_second_app_taking_a_jobs_name_is_refused_naming_the_first():
    with pytest.raises(ValueError, match="'send_outbox' is already declared by outbox.apps"):
        register_job("send_outbox", lambda: None, every=timedelta(minutes=5))


@pytest.mark.django_db
def test_a_due_job_runs_once_and_its_run_records_start_end_outcome_and_counts():
    old = make_enquiry(state="sent")
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    _make_due("purge_enquiries")
    runs = run_due()
    assert [run.job for run in runs] == ["purge_enquiries"]
    run = JobRun.objects.get()
    assert run.outcome == "succeeded" and run.counts == {"deleted": 1}
    assert run.started_at <= run.finished_at
    job = Job.objects.get(name="purge_enquiries")
    assert job.last_success_at == run.finished_at and job.locked_until is None
    assert job.next_run_at > timezone.now()
    assert run_due() == []  # not due again until its next slot


@pytest.mark.django_db
def test_a_failing_job_is_recorded_failed_and_tried_again_within_minutes(extra_job):
    def broken():
        raise RuntimeError("the reminder template is missing")

    extra_job("reminders", broken, every=timedelta(days=1))
    _make_due("reminders")
    (run,) = run_due()
    assert run.outcome == "failed" and "the reminder template is missing" in run.error
    job = Job.objects.get(name="reminders")
    assert job.last_success_at is None
    assert job.next_run_at <= timezone.now() + timedelta(minutes=5)


@pytest.mark.django_db(transaction=True)
def test_eight_threads_claiming_one_due_job_get_it_once():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:"):
        pytest.skip("SQLite's shared in-memory test database: see the two-process test")
    _make_due("purge_enquiries")
    job = registered_jobs()["purge_enquiries"]
    barrier = threading.Barrier(8)
    claims = []

    def claim():
        from django.db import connection as own

        barrier.wait()
        try:
            claims.append(job_claim(job))
        finally:
            own.close()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claims) == [False] * 7 + [True]


@pytest.mark.parametrize("kind", KINDS)
def test_two_schedulers_started_by_mistake_never_run_a_job_twice(kind, tmp_path):
    with fresh_database(kind, tmp_path) as url:
        env = site_env(url, tmp_path / "media")
        manage(env, "migrate", "--noinput", "-v0")
        manage(
            env, "shell", "-c",
            "from datetime import timedelta; from django.utils import timezone; "
            "from scheduling.models import Job; "
            "Job.objects.update(next_run_at=timezone.now() - timedelta(seconds=1))",
        )  # fmt: skip
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_scheduler"]
        schedulers = [
            subprocess.Popen([*command, "--once"], env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [scheduler.communicate(timeout=300)[0] for scheduler in schedulers]
        assert all(scheduler.returncode == 0 for scheduler in schedulers)
        started = manage(
            env, "shell", "-c",
            "from scheduling.models import JobRun; "
            "print([(r.job, r.started_at.isoformat()) for r in JobRun.objects.all()])",
        ).stdout  # fmt: skip
        runs = ast.literal_eval(started.strip().splitlines()[-1])
        # Once per due time: a job due every minute may rightly run again if the two
        # schedulers straddle a minute, but never twice for the same slot.
        jobs = registered_jobs()
        slots = Counter(
            (name, jobs[name].slot_after(datetime.fromisoformat(at))) for name, at in runs
        )
        assert {name for name, _ in slots} == set(jobs), outputs
        assert [slot for slot, n in slots.items() if n > 1] == [], outputs


@pytest.mark.django_db
def test_a_job_without_success_for_twice_its_interval_fails_readiness(client):
    jobs_fresh()
    assert client.get("/health/ready").status_code == 200
    Job.objects.filter(name="send_outbox").update(
        last_success_at=timezone.now() - timedelta(minutes=11)
    )
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["scheduled_jobs"]
    assert set(body["checks"]["scheduled_jobs"]["overdue"]) == {"send_outbox"}
    # Once it runs again, readiness is back.
    call_command("send_outbox", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert client.get("/health/ready").status_code == 200


@pytest.mark.django_db
def test_the_minute_flush_of_view_counts_late_behind_a_long_job_keeps_readiness(client):
    # Run every minute, but the views wait safely in Redis: late for an hour, it is overdue.
    jobs_fresh()
    flush = Job.objects.filter(name="flush_view_counts")
    flush.update(last_success_at=timezone.now() - timedelta(minutes=20))
    assert client.get("/health/ready").status_code == 200
    flush.update(last_success_at=timezone.now() - timedelta(minutes=61))
    response = client.get("/health/ready")
    assert set(response.json()["checks"]["scheduled_jobs"]["overdue"]) == {"flush_view_counts"}


@pytest.mark.django_db
def test_the_old_cron_commands_still_work_and_count_as_runs():
    call_command("purge_unconfirmed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run = JobRun.objects.get()
    assert (run.job, run.outcome, run.runner, run.counts) == (
        "purge_unconfirmed", "succeeded", "command", {"deleted": 0}
    )  # fmt: skip
    assert Job.objects.get(name="purge_unconfirmed").last_success_at == run.finished_at


@pytest.mark.django_db
def test_an_old_cron_command_leaves_a_job_running_elsewhere_to_it():
    stale = make_subscriber(state=State.PENDING, requested_at=timezone.now() - timedelta(days=60))
    jobs_sync()
    # The scheduler (or an overlapping cron line) holds the job.
    Job.objects.filter(name="purge_unconfirmed").update(
        locked_until=timezone.now() + timedelta(minutes=30)
    )
    out = io.StringIO()
    call_command("purge_unconfirmed", stdout=out)
    assert out.getvalue() == "purge_unconfirmed is running in another process; left to it.\n"
    assert Subscriber.objects.filter(pk=stale.pk).exists()
    assert not JobRun.objects.exists()
    # Once it is free, the command does the job's work, said as before.
    Job.objects.filter(name="purge_unconfirmed").update(locked_until=None)
    call_command("purge_unconfirmed", stdout=out)
    assert out.getvalue().endswith(
        f"Purged 1 sign-up(s) unconfirmed after {settings.MAILINGLIST_CONFIRM_DAYS} days.\n"
    )
    assert not Subscriber.objects.filter(pk=stale.pk).exists()


@pytest.mark.django_db
def test_a_command_whose_job_fails_exits_with_the_error_and_the_run_records_it(extra_job):
    def broken():
        raise RuntimeError("the disk is full")

    extra_job("broken_job", broken, every=timedelta(hours=1))

    class Command(JobCommand):
        job = "broken_job"
        report = "Never printed."

    with pytest.raises(CommandError, match="broken_job failed: RuntimeError: the disk is full"):
        call_command(Command(), stdout=io.StringIO())
    run = JobRun.objects.get()
    assert (run.job, run.outcome, run.runner) == ("broken_job", "failed", "command")
    assert "the disk is full" in run.error


@pytest.mark.django_db
def test_staff_see_overdue_jobs_on_the_admin_home():
    jobs_fresh()
    client = signed_in("ops", perms=["view_jobrun"])
    assert "Scheduled jobs overdue" not in client.get("/admin/").text
    Job.objects.filter(name="send_digest").update(created_at=timezone.now() - timedelta(days=15))
    page = client.get("/admin/").text
    assert "Scheduled jobs overdue" in page
    assert "send_digest</a>: every 7 days, 0:00:00, last success never" in page
    # An editor is told too, without a link to runs they may not open.
    editor_page = signed_in("eve").get("/admin/").text
    assert "Scheduled jobs overdue" in editor_page
    assert "send_digest: every 7 days" in editor_page


@pytest.mark.django_db
def test_the_runs_list_is_read_only():
    _make_due("purge_enquiries")
    (run,) = run_due()
    client = signed_in("ops", perms=["view_jobrun", "view_job"])
    listing = client.get("/admin/scheduling/jobrun/")
    assert listing.status_code == 200 and "purge_enquiries" in listing.text
    assert client.get("/admin/scheduling/jobrun/add/").status_code == 403
    detail = client.get(f"/admin/scheduling/jobrun/{run.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.text
    assert client.post(f"/admin/scheduling/jobrun/{run.pk}/delete/").status_code == 403
    assert client.get("/admin/scheduling/job/").status_code == 200


@pytest.mark.django_db
def test_records_of_runs_older_than_30_days_are_forgotten_by_their_own_job():
    old = JobRun.objects.create(job="send_outbox", outcome="succeeded")
    JobRun.objects.filter(pk=old.pk).update(started_at=timezone.now() - timedelta(days=31))
    recent = JobRun.objects.create(job="send_outbox", outcome="succeeded")
    _make_due("prune_job_runs")
    (run,) = run_due()
    assert run.counts == {"deleted": 1}
    assert set(JobRun.objects.values_list("pk", flat=True)) == {recent.pk, run.pk}
