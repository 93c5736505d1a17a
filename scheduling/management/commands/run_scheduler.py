"""run_scheduler: the one process that runs every periodic job when it is due (no crontab)."""

import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from scheduling.models import Job
from scheduling.registry import registered_jobs
from scheduling.runner import jobs_sync, next_due_at, overdue_jobs, run_due, run_now

# Longest sleep between two looks at the clock: a job declared or moved by a deploy, or a
# slot freed by a failed run, is noticed within this.
MAX_SLEEP_SECONDS = 30


class Command(BaseCommand):
    help = (
        "Run every scheduled job when it is due, one after another, recording each run "
        "(admin: Scheduled jobs). Start one, like db_worker; a second started by mistake "
        "never runs a job twice (each run is claimed in the database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--job", help="Run this job now (recorded, under its lock), then exit.")
        parser.add_argument("--list", action="store_true", help="List the jobs and exit.")

    def handle(self, *args, once, job, list, **options):  # noqa: A002 - the option's name
        if list:
            return self._list()
        if job:
            if job not in registered_jobs():
                raise CommandError(
                    f"No job is called {job!r}. Jobs: {', '.join(sorted(registered_jobs()))}."
                )
            run = run_now(job)
            if run is None:
                raise CommandError(f"{job} is running in another process; try again later.")
            self._report(run)
            return
        if once:
            for run in run_due():
                self._report(run)
            return
        self._loop()

    def _loop(self):
        stopping = []
        # systemd and Ctrl-C: finish the job under way, then exit.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        self.stdout.write(f"Scheduler started: {', '.join(registered_jobs())}.")
        while not stopping:
            close_old_connections()
            for run in run_due():
                self._report(run)
                if stopping:
                    break
            due = next_due_at()
            wait = MAX_SLEEP_SECONDS
            if due is not None:
                wait = min(wait, max((due - timezone.now()).total_seconds(), 0.5))
            close_old_connections()
            end = time.monotonic() + wait
            while not stopping and time.monotonic() < end:
                time.sleep(max(0.0, min(0.5, end - time.monotonic())))
        self.stdout.write("Scheduler stopped.")

    def _report(self, run):
        line = f"{run.job}: {run.outcome}"
        if run.counts:
            line += " " + ", ".join(f"{key} {value}" for key, value in run.counts.items())
        (self.stdout if run.outcome == "succeeded" else self.stderr).write(line)

    def _list(self):
        jobs_sync()
        rows = {row.name: row for row in Job.objects.all()}
        late = {name for name, *_ in overdue_jobs()}
        for name, job in registered_jobs().items():
            row = rows[name]
            self.stdout.write(
                f"{name}: every {job.every}, next {row.next_run_at:%Y-%m-%d %H:%M} UTC, "
                f"last success {row.last_success_at or 'never'}"
                + (" OVERDUE" if name in late else "")
            )
