"""The one scheduler: periodic jobs declared by any app, run by `manage.py run_scheduler`."""

from scheduling.registry import register_job, registered_jobs

__all__ = ["register_job", "registered_jobs"]
