"""Which periodic jobs exist: each app declares its own from its AppConfig.ready()."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

# Slots are counted from a Monday midnight (UTC), so a weekly job with at=8 hours runs on
# Mondays at 08:00 and a daily one with at=3 hours at 03:00, whatever day the site started.
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)

_JOBS = {}


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    run: object  # a callable taking no arguments; returns a dict of counts, a number or None
    every: timedelta
    at: timedelta = timedelta(0)
    description: str = ""
    # How long a started run may hold the job before another scheduler takes it as dead.
    timeout: timedelta = field(default=timedelta(hours=1))
    # How long without a success before the job is overdue; None: twice its interval.
    late_after: timedelta | None = None

    def slot_after(self, moment):
        """The first moment strictly after `moment` when this job is due."""
        periods = (moment - EPOCH - self.at) // self.every + 1
        return EPOCH + self.at + periods * self.every

    @property
    def overdue_after(self):
        """A job with no success for this long is overdue (readiness fails, staff are told)."""
        return self.late_after or 2 * self.every


def register_job(
    name, run, *, every, at=timedelta(0), description="", timeout=None, late_after=None
):
    """Declare a periodic job once, in code: `run()` every `every`, `at` into each interval.

    A job is overdue (the readiness probe fails, staff are told) after twice its interval
    without a success, or `late_after`: a job run every minute whose lateness harms no one
    for a while says so, lest a long job before it in the one scheduler fail readiness.

    Call it from the declaring app's AppConfig.ready(). `run` returns what it did as a dict
    of counts ({"sent": 3}) or a number, which each run's record keeps. Declaring the same
    function again under its name changes nothing; another function under a taken name is
    refused.
    """
    if not isinstance(every, timedelta) or every <= timedelta(0):
        raise ValueError(f"Job {name!r}: every= must be a positive timedelta.")
    if not timedelta(0) <= at < every:
        raise ValueError(f"Job {name!r}: at= must be at least 0 and less than every=.")
    known = _JOBS.get(name)
    if known is not None and known.run is not run:
        # Two apps picking one name would share one row, one lock and one record.
        raise ValueError(
            f"Job {name!r} is already declared by {known.run.__module__}; choose another name."
        )
    job = ScheduledJob(
        name=name,
        run=run,
        every=every,
        at=at,
        description=description,
        timeout=timeout or max(every, timedelta(hours=1)),
        late_after=late_after,
    )
    _JOBS[name] = job
    return job


def registered_jobs():
    """Every declared job by name, in the order they were declared."""
    return dict(_JOBS)
