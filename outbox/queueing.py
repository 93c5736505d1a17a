"""Queueing background work so that a task queue that is down never fails the request: what
the task would do is kept elsewhere (an outbox row) or made up for by a scheduled command."""

import logging

logger = logging.getLogger(__name__)


def backoff(attempts, *, base, cap):
    """Exponential backoff: `base` after the first attempt, doubled for each one after it,
    never more than `cap` (timedeltas)."""
    return min(base * 2 ** max(attempts - 1, 0), cap)


def task_enqueue(task, *, failure, run_after=None, **kwargs):
    """Queue `task` with `kwargs` (at `run_after`, if given) and return whether it was queued.

    A queue that refuses is logged with `failure` (what waits, and what makes up for it),
    never raised. A later run on a backend that cannot wait (the immediate one) is not
    queued at all: the caller's safety net (a command, an expiry) covers it.
    """
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return False
            task = task.using(run_after=run_after)
        task.enqueue(**kwargs)
    except Exception:
        logger.exception("Could not queue a task: %s", failure)
        return False
    return True
