"""Claims, runs and records scheduled jobs; tells which have not succeeded for too long."""

import logging
import os
import socket
import traceback
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from scheduling.models import Job, JobRun
from scheduling.registry import registered_jobs

logger = logging.getLogger(__name__)

# A failed run is tried again this soon (or at its next slot, if that comes first), so a
# weekly digest that met a database hiccup does not wait a week.
RETRY_AFTER = timedelta(minutes=5)
# How long the record of a run is kept (the admin's list of runs, not the jobs' own state).
RUNS_KEPT = timedelta(days=30)


def runner_name():
    return f"scheduler {socket.gethostname()}:{os.getpid()}"


def jobs_sync(now=None):
    """Make sure every declared job has its row; a changed interval moves its next slot."""
    now = now or timezone.now()
    jobs = registered_jobs()
    rows = {row.name: row for row in Job.objects.filter(name__in=jobs)}
    for name, job in jobs.items():
        row = rows.get(name)
        if row is None:
            Job.objects.get_or_create(
                name=name, defaults={"next_run_at": job.slot_after(now), "created_at": now}
            )
        elif row.next_run_at > now + job.every:
            Job.objects.filter(pk=row.pk).update(next_run_at=job.slot_after(now))


def job_claim(job, *, now=None, due_only=True):
    """Take the job's lock for one run; False if another process holds it (or it is not due).

    The row is read with SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL: a second scheduler
    skips it instead of waiting) and then changed by an UPDATE that matches only while the
    row is as read, which is the lock on SQLite too (its write lock serialises the two)."""
    now = now or timezone.now()
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    with transaction.atomic():
        rows = Job.objects.select_for_update(skip_locked=True).filter(free, name=job.name)
        if due_only:
            rows = rows.filter(next_run_at__lte=now)
        row = rows.first()
        if row is None:
            return False
        claimed = Job.objects.filter(free, pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=job.slot_after(now), locked_until=now + job.timeout
        )
    return claimed == 1


def _counts(result):
    if result is None:
        return {}
    if isinstance(result, dict):
        return {str(key): value for key, value in result.items()}
    return {"count": result}


def job_run(job, *, runner=None, **options):
    """Run a claimed job now and record it; returns its JobRun. Releases the lock after.

    `options` go to the job's function (a command's own options, such as send_outbox --all)."""
    run = JobRun.objects.create(job=job.name, runner=runner or runner_name())
    logger.info("Job %s started", job.name)
    try:
        counts = _counts(job.run(**options))
    except Exception as exc:
        run.outcome = JobRun.Outcome.FAILED
        run.error = "".join(traceback.format_exception(exc))[-4000:]
        logger.exception("Job %s failed", job.name)
    else:
        run.outcome = JobRun.Outcome.SUCCEEDED
        run.counts = counts
        logger.info("Job %s succeeded: %s", job.name, counts)
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "error", "counts", "finished_at"])
    changes = {"locked_until": None}
    if run.outcome == JobRun.Outcome.SUCCEEDED:
        changes["last_success_at"] = run.finished_at
        Job.objects.filter(name=job.name).update(**changes)
    else:
        Job.objects.filter(name=job.name).update(**changes)
        Job.objects.filter(name=job.name, next_run_at__gt=run.finished_at + RETRY_AFTER).update(
            next_run_at=run.finished_at + RETRY_AFTER
        )
    return run


def run_due(*, now=None, runner=None):
    """Run every job whose time has come and that no other process holds; returns the runs."""
    jobs_sync(now)
    runs = []
    for job in registered_jobs().values():
        if job_claim(job, now=now):
            runs.append(job_run(job, runner=runner))
    return runs


def run_now(name, *, runner=None, **options):
    """Run one job at once, due or not, under its lock; None if another process is running it.

    run_scheduler --job and every old cron command (scheduling.command) come through here, so
    a job's work is its declared function alone, claimed and recorded the same way."""
    job = registered_jobs()[name]
    jobs_sync()
    if not job_claim(job, due_only=False):
        return None
    return job_run(job, runner=runner, **options)


def next_due_at():
    """When the earliest job is next due, or None."""
    return (
        Job.objects.filter(name__in=registered_jobs())
        .order_by("next_run_at")
        .values_list("next_run_at", flat=True)
        .first()
    )


def overdue_jobs(now=None):
    """Declared jobs with no success within twice their interval: [(name, last success or
    None, the interval)]. A job whose row does not exist yet (never seen by a migrate or a
    scheduler) is not judged."""
    now = now or timezone.now()
    jobs = registered_jobs()
    overdue = []
    for row in Job.objects.filter(name__in=jobs):
        job = jobs[row.name]
        since = row.last_success_at or row.created_at
        if since < now - job.overdue_after:
            overdue.append((row.name, row.last_success_at, job.every))
    return overdue


def job_runs_prune(now=None):
    """Delete the records of runs older than RUNS_KEPT; returns how many."""
    now = now or timezone.now()
    deleted, _ = JobRun.objects.filter(started_at__lt=now - RUNS_KEPT).delete()
    return deleted
