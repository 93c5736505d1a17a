"""read_report_files: read type, size, pages and text for reports that lack them (or all)."""

from django.core.management.base import BaseCommand

from reports.models import Report
from reports.services import report_file_read


class Command(BaseCommand):
    help = (
        "Read the file facts (type, size, pages, text) of reports uploaded before they were read."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Read every report's file again.")

    def handle(self, *args, **options):
        reports = Report.objects.order_by("pk")
        if not options["all"]:
            reports = reports.filter(file_type="")
        count = 0
        for report in reports.iterator():
            report_file_read(report=report)
            count += 1
            note = f": {report.file_note}" if report.file_note else ""
            self.stdout.write(f"{report.slug}: {report.attachment_facts()}{note}")
        self.stdout.write(f"Read {count} report file(s).")
