"""Run the checks before publishing on every live item again, for the dashboard's findings."""

from django.core.management.base import BaseCommand

from dashboard.findings import refresh_all


class Command(BaseCommand):
    help = (
        "Check every live item again (alt text, links to pages that went, headings...) and "
        "keep what is found for the editors' dashboard. Run it daily: a link breaks when the "
        "page it points at is taken down, which saves nothing of the item that links."
    )

    def handle(self, *args, **options):
        kept = refresh_all()
        self.stdout.write(f"{kept} live item(s) with something to fix.")
