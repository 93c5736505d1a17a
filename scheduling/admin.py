"""Read-only admin lists of the scheduled jobs and of every run."""

from django.contrib import admin
from django.utils import timezone

from scheduling.models import Job, JobRun
from scheduling.registry import registered_jobs


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["name", "every", "next_run_at", "last_success_at", "overdue", "locked_until"]

    @admin.display(description="interval")
    def every(self, obj):
        job = registered_jobs().get(obj.name)
        return job.every if job else "no longer declared"

    @admin.display(boolean=True, description="overdue")
    def overdue(self, obj):
        job = registered_jobs().get(obj.name)
        if job is None:
            return None
        since = obj.last_success_at or obj.created_at
        return since < timezone.now() - job.overdue_after


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ["job", "started_at", "finished_at", "outcome", "counts", "runner"]
    list_filter = ["outcome", "job"]
    date_hierarchy = "started_at"
    fields = ["job", "started_at", "finished_at", "outcome", "counts", "runner", "error"]
    list_per_page = 50
