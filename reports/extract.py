"""Read a report file's page count and text in a child process with CPU and memory limits.

Run as `python -m reports.extract PATH TYPE MAX_PAGES MAX_CHARS MEMORY_MB CPU_SECONDS`; prints
one JSON object: {"pages": int|null, "text": str, "notes": [str]}. It imports no Django, so
a hostile file can cost at most this process, which the parent kills on a timeout.
"""

import json
import re
import sys
import zipfile
from xml.etree import ElementTree

# The most any one XML part of an Office file may inflate to before we stop reading it.
MAX_XML_PART_BYTES = 64 * 1024 * 1024
WHITESPACE = re.compile(r"[ \t\r\f\v]+")


def limit_resources(memory_mb, cpu_seconds):
    try:
        import resource
    except ImportError:  # not on POSIX: the parent's timeout is the only bound
        return
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


class TextBudget:
    """Collects text up to a number of characters, then refuses more."""

    def __init__(self, max_chars):
        self.max_chars = max_chars
        self.parts = []
        self.used = 0

    @property
    def full(self):
        return self.used >= self.max_chars

    def add(self, text):
        if not text or self.full:
            return
        text = text[: self.max_chars - self.used]
        self.parts.append(text)
        self.used += len(text)

    def text(self):
        joined = "\n".join(self.parts)
        lines = (WHITESPACE.sub(" ", line).strip() for line in joined.splitlines())
        return "\n".join(line for line in lines if line)


def read_pdf(path, max_pages, budget, notes):
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            # Many PDFs carry only an owner password (no printing, say) and open with an
            # empty user password; a real user password means we cannot read the text.
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                notes.append(
                    "The PDF is password-protected, so its pages and text could not be read."
                )
                return None
        pages = len(reader.pages)
    except FileNotDecryptedError:
        notes.append("The PDF is password-protected, so its pages and text could not be read.")
        return None
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError, OSError) as exc:
        notes.append(f"The PDF is damaged and could not be read ({type(exc).__name__}).")
        return None

    failed = 0
    for number, page in enumerate(reader.pages, start=1):
        if number > max_pages:
            notes.append(f"Only the first {max_pages} of {pages} pages were read for search.")
            break
        if budget.full:
            break
        try:
            budget.add(page.extract_text())
        except Exception:
            failed += 1
    if failed:
        notes.append(f"The text of {failed} page(s) could not be read.")
    return pages


# Which XML parts of each zip-based format hold the words, and the tag of a paragraph.
_OFFICE_PARTS = {
    "docx": (re.compile(r"^word/document\.xml$"), {"p"}),
    "pptx": (re.compile(r"^ppt/slides/slide\d+\.xml$"), {"p"}),
    "xlsx": (re.compile(r"^xl/sharedStrings\.xml$"), {"si"}),
    "odt": (re.compile(r"^content\.xml$"), {"p", "h"}),
    "ods": (re.compile(r"^content\.xml$"), {"p", "h"}),
}


def _slide_number(name):
    digits = re.findall(r"\d+", name)
    return int(digits[-1]) if digits else 0


def read_office(path, file_type, budget, notes):
    pattern, paragraph_tags = _OFFICE_PARTS[file_type]
    with zipfile.ZipFile(path) as archive:
        names = sorted(
            (name for name in archive.namelist() if pattern.match(name)), key=_slide_number
        )
        for name in names:
            if budget.full:
                break
            with archive.open(name) as handle:
                capped = _Capped(handle, MAX_XML_PART_BYTES)
                damaged = _read_xml_text(capped, paragraph_tags, budget)
                # Said to the editor: a file that expands past the cap (a "zip bomb") or
                # breaks off part-way would otherwise be stored with no text and no reason.
                if capped.was_cut():
                    notes.append(
                        f"Part of the file ({name}) unzips to more than "
                        f"{MAX_XML_PART_BYTES // (1024 * 1024)} MB, so only its beginning was "
                        "read for search. Check the file: it may be damaged or malicious."
                    )
                elif damaged:
                    notes.append(
                        f"Part of the file ({name}) is damaged, so only the text before the "
                        "damage was read for search."
                    )
    return len(names) if file_type == "pptx" else None


class _Capped:
    """A read-only stream that ends after `limit` bytes, however much the source holds."""

    def __init__(self, source, limit):
        self.source = source
        self.left = limit

    def read(self, size=-1):
        if self.left <= 0:
            return b""
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.source.read(size)
        self.left -= len(data)
        return data

    def was_cut(self):
        """Whether the source had more than `limit` bytes (and so was not read to its end)."""
        return self.left <= 0 and bool(self.source.read(1))


def _read_xml_text(stream, paragraph_tags, budget):
    """Add the text of each paragraph to the budget; True if the XML broke off (damaged)."""
    # iterparse keeps memory flat: each finished paragraph is read and cleared. Python's
    # expat refuses entity-expansion bombs ("billion laughs").
    try:
        for _event, element in ElementTree.iterparse(stream, events=("end",)):  # noqa: S314
            if element.tag.rsplit("}", 1)[-1] in paragraph_tags:
                budget.add("".join(element.itertext()))
                element.clear()
                if budget.full:
                    return
    except ElementTree.ParseError:
        return True  # keep what was read before the damage; the caller tells the editor
    return False


def read_csv(path, budget):
    with open(path, "rb") as handle:
        raw = handle.read(budget.max_chars * 4)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            budget.add(raw.decode(encoding))
            return
        except UnicodeDecodeError:
            continue


def read(path, file_type, max_pages, max_chars):
    """Page count, text and notes for the file at `path`, within the page and character caps."""
    budget = TextBudget(max_chars)
    notes = []
    pages = None
    try:
        if file_type == "pdf":
            pages = read_pdf(path, max_pages, budget, notes)
        elif file_type == "csv":
            read_csv(path, budget)
        else:
            pages = read_office(path, file_type, budget, notes)
    except MemoryError:
        notes.append("The file needed too much memory to read; only part of its text was kept.")
    except Exception as exc:
        notes.append(f"The file could not be read ({type(exc).__name__}).")
    if budget.full:
        notes.append(f"The text was cut at {budget.max_chars:,} characters for search.")
    return {"pages": pages, "text": budget.text(), "notes": notes}


def main(argv):
    path, file_type, max_pages, max_chars, memory_mb, cpu_seconds = argv
    limit_resources(int(memory_mb), int(cpu_seconds))
    json.dump(read(path, file_type, int(max_pages), int(max_chars)), sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
