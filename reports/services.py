"""Report flows with side effects: reading an uploaded file's facts, counting downloads."""

import json
import logging
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F

from reports import extract
from reports.files import identify
from reports.models import Report

logger = logging.getLogger(__name__)

COPY_CHUNK = 1024 * 1024
FACT_FIELDS = ["file_type", "file_size", "page_count", "extracted_text", "file_note"]


def report_file_read(*, report, trusted=False, save=True):
    """Read type, size, pages and text from the report's stored file into its fact fields.

    Runs once, when a file is uploaded (the admin, load_demo), never during a page
    request. Whatever cannot be read is said in `file_note` for the editor; nothing here
    raises for a bad file, and the reading happens in a child process that is killed
    after REPORTS_EXTRACT_TIMEOUT seconds and may use at most REPORTS_EXTRACT_MEMORY_MB.
    `trusted=True` reads in this process instead, saving the child's start-up (about
    0.3 s); only for files the site made itself (the demo content, test builders).
    """
    notes = []
    report.page_count = None
    report.extracted_text = ""
    try:
        with report.file.open("rb") as handle:
            identified = identify(handle, report.file.name)
    except (FileNotFoundError, ValueError) as exc:
        logger.error("Report %s has no file in storage: %r", report.pk, report.file.name)
        report.file_type, report.file_size = "", None
        notes.append(f"The file could not be opened ({type(exc).__name__}).")
    except ValidationError as exc:
        report.file_type, report.file_size = "", report.file.size
        notes.append("The file is not an accepted document: " + " ".join(exc.messages))
    else:
        report.file_type, report.file_size = identified.file_type, identified.size
        result = _extract(report, trusted=trusted)
        report.page_count = result["pages"]
        report.extracted_text = result["text"]
        notes.extend(result["notes"])
    report.file_note = "\n".join(notes)
    if save:
        report.save(update_fields=[*FACT_FIELDS, "updated_at"])
    return report


def report_download_record(*, report):
    """Count one download, atomically in the database, however many arrive at once."""
    Report.objects.filter(pk=report.pk).update(download_count=F("download_count") + 1)


@contextmanager
def _local_copy(field_file):
    """A temporary file on local disk with the stored file's bytes, deleted afterwards.

    Always a copy, read through the storage API: `storage.path()` cannot be trusted to name
    a real file (S3 has none; InMemoryStorage returns one that does not exist). The copy is
    streamed in chunks, so memory stays bounded whatever the file's size.
    """
    with tempfile.NamedTemporaryFile(suffix=".report") as copy:
        with field_file.open("rb") as source:
            shutil.copyfileobj(source, copy, COPY_CHUNK)
        copy.flush()
        yield copy.name


def _extract(report, *, trusted):
    if trusted:
        with _local_copy(report.file) as path:
            return extract.read(
                path,
                report.file_type,
                settings.REPORTS_EXTRACT_MAX_PAGES,
                settings.REPORTS_EXTRACT_MAX_CHARS,
            )
    args = [
        report.file_type,
        str(settings.REPORTS_EXTRACT_MAX_PAGES),
        str(settings.REPORTS_EXTRACT_MAX_CHARS),
        str(settings.REPORTS_EXTRACT_MEMORY_MB),
        str(int(settings.REPORTS_EXTRACT_TIMEOUT) + 1),
    ]
    timeout = settings.REPORTS_EXTRACT_TIMEOUT
    empty = {"pages": None, "text": ""}
    try:
        with _local_copy(report.file) as path:
            completed = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
                [sys.executable, "-m", "reports.extract", path, *args],
                capture_output=True,
                timeout=timeout,
                check=False,
                cwd=settings.BASE_DIR,
            )
    except subprocess.TimeoutExpired:
        logger.warning("Reading report %s took longer than %ss", report.pk, timeout)
        return {**empty, "notes": [f"Reading the file took longer than {timeout:g} seconds, "
                                   "so its pages and text were not read."]}  # fmt: skip
    try:
        result = json.loads(completed.stdout)
    except ValueError:
        logger.warning(
            "Reading report %s failed (exit %s): %s",
            report.pk,
            completed.returncode,
            completed.stderr.decode(errors="replace")[-500:],
        )
        return {**empty, "notes": ["The file could not be read within the memory and time "
                                   "allowed, so its pages and text were not read."]}  # fmt: skip
    return result
