"""Make the readers' panel's span totals through yesterday now, as the hourly job does."""

from django.core.management.base import BaseCommand

from dashboard.rollup import roll_up


class Command(BaseCommand):
    help = (
        "Sum each item's views and downloads over the closed days of each span the admin "
        "home offers (30, 90, 365 days), once a day; the job roll_up_reader_counts runs it "
        "hourly. Run it after a deploy that adds the roll-up, or after loading old counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--again", action="store_true", help="make them anew even if made today"
        )

    def handle(self, *args, **options):
        made = roll_up(again=options["again"])
        self.stdout.write(f"{made} span total(s) made." if made else "Already made for today.")
