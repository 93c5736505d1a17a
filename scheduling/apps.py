"""App configuration for the scheduler."""

from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _jobs_sync(sender, using="default", **kwargs):
    # After every migrate each declared job has its row, so a job never run since a deploy
    # is overdue two intervals later even if no scheduler was ever started.
    from django.db import connections

    from scheduling.models import Job
    from scheduling.runner import jobs_sync

    # A migrate of one app only may leave the scheduler's own table for later.
    if using == "default" and Job._meta.db_table in connections[using].introspection.table_names():
        jobs_sync()


def prune_job_runs_job():
    from scheduling.runner import job_runs_prune

    return {"deleted": job_runs_prune()}


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Scheduled jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from scheduling.registry import register_job

        # The 5-minute jobs alone leave 600 records a day.
        register_job(
            "prune_job_runs",
            prune_job_runs_job,
            every=timedelta(days=1),
            at=timedelta(hours=3, minutes=45),
            description="Forgets the records of job runs older than 30 days.",
        )
        post_migrate.connect(_jobs_sync, sender=self, dispatch_uid="scheduling.jobs_sync")
