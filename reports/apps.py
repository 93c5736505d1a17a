"""App configuration for reports."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from publishing.links import register_link_kind
        from reports.models import Report

        # Body links to reports are found by search and checked before publishing.
        register_link_kind(
            "report",
            label="Report",
            model=Report,
            view_name="reports:detail",
            visible=Report.objects.live,
        )
