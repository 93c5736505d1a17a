"""The one shape of an old cron command: run its scheduled job now, under its claim, and say so."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from scheduling.models import JobRun
from scheduling.runner import run_now


class Counts(dict):
    """A run's counts as its report reads them: a count the run did not give is 0."""

    def __missing__(self, key):
        return 0


class JobCommand(BaseCommand):
    """`manage.py <job>` for operators' cron lines: the job's own function, run as the
    scheduler runs it (claimed, so never twice at once; recorded as a run by "command").

    A command names its job and says what it prints; the work is the function declared with
    register_job, written once."""

    job = ""  # the name the job is declared under with register_job
    # Printed after a successful run, formatted with the run's counts and the settings.
    report = ""

    def job_options(self, options):
        """The keyword arguments this command's options give the job's function."""
        return {}

    def handle(self, *args, **options):
        run = run_now(self.job, runner="command", **self.job_options(options))
        if run is None:
            # Overlapping cron lines are normal; the running one does the work.
            self.stdout.write(f"{self.job} is running in another process; left to it.")
            return
        if run.outcome != JobRun.Outcome.SUCCEEDED:
            last_line = run.error.strip().splitlines()[-1] if run.error.strip() else ""
            raise CommandError(f"{self.job} failed: {last_line}")
        counts = Counts(run.counts)
        if counts["mail_server_down"] or counts["mail server down"]:
            self.stderr.write("The mail server could not be reached: nothing was sent.")
        self.stdout.write(self.report_text(counts))
        self.warn(counts)

    def report_text(self, counts):
        return self.report.format_map(Counts(counts, settings=settings))

    def warn(self, counts):
        """What the run leaves for a person to see to, on standard error (nothing by default)."""
