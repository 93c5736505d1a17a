"""What one run of the WordPress import did: counts per kind and outcome, and every problem."""

from collections import Counter
from dataclasses import dataclass, field

KINDS = ("posts", "topics", "images", "reports", "redirects")


@dataclass
class ImportReport:
    """What a run did: counts per kind and outcome, and every problem with its item."""

    dry_run: bool = False
    counts: dict = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    problems: list = field(default_factory=list)
    fetched: tuple | None = None  # (files, bytes) downloaded with --fetch-from

    def count(self, kind, outcome):
        self.counts[kind][outcome] += 1

    def problem(self, item, message):
        self.problems.append((item, message))

    def lines(self):
        head = "WordPress import" + (" (dry run: nothing was saved)" if self.dry_run else "")
        lines = [head, f"{'':<10}{'created':>9}{'updated':>9}{'skipped':>9}"]
        for kind in KINDS:
            c = self.counts[kind]
            lines.append(f"{kind:<10}{c['created']:>9}{c['updated']:>9}{c['skipped']:>9}")
        if self.fetched is not None:
            files, size = self.fetched
            lines.append(f"Fetched from the old site: {files} files, {size / 1048576:.1f} MB")
        lines.append(f"Problems: {len(self.problems)}")
        lines.extend(f"  {item}: {message}" for item, message in self.problems)
        return lines


class ItemRefused(Exception):
    """A post that cannot be imported, with the reason an editor is shown."""
