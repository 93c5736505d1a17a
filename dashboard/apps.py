"""App configuration for the editors' dashboard: the kernel's own panels, and keeping findings."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Dashboard"

    def ready(self):
        from dashboard import kernel_panels
        from dashboard.findings import item_deleted, item_saved

        kernel_panels.register()
        post_save.connect(item_saved, dispatch_uid="dashboard.findings.item_saved")
        post_delete.connect(item_deleted, dispatch_uid="dashboard.findings.item_deleted")
