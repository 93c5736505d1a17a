"""Benchmark the report file pipeline and print figures: checking, reading and downloading.

Run: .venv/bin/python scripts/bench_reports.py   (uses an in-memory SQLite and a temp folder)
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
media = tempfile.mkdtemp(prefix="bench-reports-")
os.environ.update(
    DJANGO_SETTINGS_MODULE="ktnsite.settings",
    DJANGO_SECRET_KEY="bench",  # noqa: S106 - a throwaway key for a local benchmark
    DATABASE_URL="sqlite://:memory:",
    MEDIA_ROOT=media,
    DJANGO_LOG_LEVEL="WARNING",
    DJANGO_STATIC_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
)
warnings.filterwarnings("ignore", "No directory at")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from ktnsite.demo.files import make_pdf  # noqa: E402
from publishing.services import publishable_save  # noqa: E402
from reports.files import identify  # noqa: E402
from reports.models import Report  # noqa: E402
from reports.services import _local_copy, report_file_read  # noqa: E402

MB = 1024 * 1024


def timed(label, func, repeat=3):
    best = min(_once(func) for _ in range(repeat))
    print(f"{label:<58} {best * 1000:9.1f} ms")


def _once(func):
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def child_peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)

    print("Checking uploads by content (reports.files.identify)")
    padded = make_pdf([["x"]])
    padded = padded[:-6] + b"%" + b"0" * (50 * MB - 4096) + b"\n%%EOF\n"
    path = Path(media, "big.pdf")
    path.write_bytes(padded)
    with path.open("rb") as handle:
        timed("50 MB PDF: header and end marker", lambda: identify(handle, "big.pdf"))
    csv_path = Path(media, "big.csv")
    row = b"North East,12,Hydrogen futures,2021-10-14\n"
    csv_path.write_bytes(row * (50 * MB // len(row)))
    with csv_path.open("rb") as handle:
        timed("50 MB CSV: decoded in full, NUL-checked, sample parsed", lambda: identify(handle, "big.csv"))  # fmt: skip

    print("\nReading facts on upload (reports.services.report_file_read, child process)")
    for pages in (4, 200, 1000):
        pdf = make_pdf([[f"Page {n}", "Words for search " * 40] for n in range(pages)])
        report = Report(title=f"{pages} pages", slug=f"p{pages}", summary="s")
        report.file.save(f"p{pages}.pdf", ContentFile(pdf), save=False)
        report.save()
        timed(
            f"{pages}-page PDF ({len(pdf) / 1024:.0f} KB), sandboxed",
            lambda report=report: report_file_read(report=report),
            repeat=1,
        )
        timed(
            f"{pages}-page PDF, in-process (trusted=True)",
            lambda report=report: report_file_read(report=report, trusted=True),
            repeat=1,
        )
        print(f"{'':<4}pages={report.page_count} text={len(report.extracted_text):,} chars")
    print(f"largest child process resident size: {child_peak_rss_mb():.0f} MB")

    print("\nCopying a stored file out for the child process (reports.services._local_copy)")
    big_copy = Report(title="Copy", slug="copy", summary="s")
    big_copy.file.save("copy.pdf", ContentFile(padded), save=False)

    def copy_out():
        with _local_copy(big_copy.file) as copied:
            assert os.path.getsize(copied) == len(padded)

    timed("50 MB file, storage.open() to a temporary file", copy_out)

    print("\nDownloading (GET /reports/<slug>/download/)")
    big = Report(title="Big", slug="big", summary="s", status="published")
    big.file.save("big.pdf", ContentFile(padded), save=False)
    publishable_save(item=big, user=None)  # published now, by the system
    client = Client()
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(big.get_download_url())
    received = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{'50 MB file streamed':<58} {elapsed * 1000:9.1f} ms")
    print(f"{'':<4}bytes={received:,} peak Python memory while streaming={peak / 1024:.0f} KB")


if __name__ == "__main__":
    # No options; --help says what the script measures instead of running it.
    argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    ).parse_args()
    main()
