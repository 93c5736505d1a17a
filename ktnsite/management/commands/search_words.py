"""Rebuild the words that search suggests ("Did you mean …?") from everything readers can find."""

from django.core.management.base import BaseCommand

from ktnsite.models import SearchWord
from ktnsite.suggestions import words_rebuild
from scheduling.runner import job_recorded


class Command(BaseCommand):
    help = (
        "Rebuild the words search suggests for misspellings from what is live now. Run after "
        "a restore or a bulk load that bypassed generate_content, and nightly so that words "
        "of withdrawn items stop being suggested."
    )

    def handle(self, *args, **options):
        with job_recorded("search_words") as counts:
            words_rebuild()
            counts["words"] = SearchWord.objects.count()
        self.stdout.write(f"{SearchWord.objects.count()} words.")
