"""App configuration for the editors' dashboard: the kernel's own panels, and keeping findings."""

from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def check_live_content_job():
    from dashboard.findings import refresh_all

    return {"items_with_findings": refresh_all()}


def flush_view_counts_job():
    from dashboard.pending import flush

    return flush()


def prune_referrers_job():
    from dashboard.counts import prune_referrers

    return {"deleted": prune_referrers()}


def roll_up_reader_counts_job():
    from dashboard.rollup import roll_up

    return {"rows": roll_up()}


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Dashboard"

    def ready(self):
        from dashboard import kernel_panels
        from dashboard.findings import item_deleted, item_saved
        from dashboard.views import forget_live_item
        from scheduling import register_job

        kernel_panels.register()
        # Nightly: a link breaks when the page it points at is taken down, which saves
        # nothing of the item that links.
        register_job(
            "check_live_content",
            check_live_content_job,
            every=timedelta(days=1),
            at=timedelta(hours=4),
            description="Runs the checks before publishing on every live item again.",
        )
        # Referrers are kept a little over a year: with at most HOSTS_PER_DAY hosts per item
        # and day, that bounds their rows whatever readers (or a flood) send.
        register_job(
            "prune_referrers",
            prune_referrers_job,
            every=timedelta(days=1),
            at=timedelta(hours=4, minutes=30),
            description="Deletes referrer counts older than DASHBOARD_REFERRER_DAYS days.",
        )
        # Hourly, ten minutes past: the first run after midnight (site time) sums the closed
        # days once; the other runs find them made and stop at one query.
        register_job(
            "roll_up_reader_counts",
            roll_up_reader_counts_job,
            every=timedelta(hours=1),
            at=timedelta(minutes=10),
            description="Sums each item's views and downloads over each span's closed days.",
        )
        # Page views counted in Redis (dashboard.pending) reach the daily rows within a minute.
        register_job(
            "flush_view_counts",
            flush_view_counts_job,
            every=timedelta(minutes=1),
            # Views wait safely in Redis: a flush late behind a long nightly job is no fault.
            late_after=timedelta(hours=1),
            description="Moves the page views counted in Redis into the daily counts.",
        )
        post_save.connect(forget_live_item, dispatch_uid="dashboard.views.forget_live_item")
        post_delete.connect(forget_live_item, dispatch_uid="dashboard.views.forget_live_item")
        post_save.connect(item_saved, dispatch_uid="dashboard.findings.item_saved")
        post_delete.connect(item_deleted, dispatch_uid="dashboard.findings.item_deleted")
