"""Rebuild the words that search suggests ("Did you mean …?") from everything readers can find."""

from scheduling.command import JobCommand


class Command(JobCommand):
    help = (
        "Rebuild the words search suggests for misspellings from what is live now. Run after "
        "a restore or a bulk load that bypassed generate_content, and nightly so that words "
        "of withdrawn items stop being suggested."
    )
    job = "search_words"
    report = "{words} words."
