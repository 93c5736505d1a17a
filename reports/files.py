"""What a report file is, decided from its bytes: the accepted formats and the checks on each."""

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "MS Word Document"
    XLSX = "xlsx", "MS Excel Spreadsheet"
    PPTX = "pptx", "MS PowerPoint Presentation"
    ODT = "odt", "OpenDocument Text"
    ODS = "ods", "OpenDocument Spreadsheet"
    CSV = "csv", "CSV"


CONTENT_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileType.ODT: "application/vnd.oasis.opendocument.text",
    FileType.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    FileType.CSV: "text/csv",
}

# The main part an Office Open XML package must declare in [Content_Types].xml. The
# macro-enabled variants (.docm, .xlsm, .pptm) declare other types and are refused.
_OOXML_MAIN_PARTS = {
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    FileType.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": FileType.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": FileType.ODS,
}

ACCEPTED = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument (.odt, .ods) or CSV"

# A real document has a few hundred parts; a zip with far more is built to hurt.
MAX_ZIP_MEMBERS = 10_000
# How much of a small control member ([Content_Types].xml, mimetype) is ever read.
MAX_CONTROL_MEMBER_BYTES = 1024 * 1024
# How far from either end of a PDF its header and end-of-file marker may sit.
PDF_SLACK = 1024
CSV_SAMPLE_BYTES = 1024 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Identified:
    file_type: str
    size: int

    @property
    def content_type(self):
        return CONTENT_TYPES[self.file_type]


def refuse(message):
    raise ValidationError(f"{message} Upload a {ACCEPTED} file.", code="invalid_report_file")


def content_type_for(file_type):
    return CONTENT_TYPES.get(file_type, "application/octet-stream")


def extension_type(name):
    """The file type the name claims, or None for a name we do not accept."""
    suffix = PurePosixPath(name or "").suffix.lower().lstrip(".")
    return suffix if suffix in FileType.values else None


def identify(upload, name=None):
    """Return what `upload` (a file object) is, judged by its bytes, or raise ValidationError.

    The name must agree with the content: a PDF called .docx, or an .exe called .pdf, is
    refused. Nothing here decompresses more than a few small control members of a zip.
    """
    name = name or getattr(upload, "name", "") or ""
    size = _size_of(upload)
    limit = settings.REPORTS_MAX_UPLOAD_BYTES
    if size == 0:
        refuse("The file is empty.")
    if size > limit:
        shown, allowed = filesizeformat(size), filesizeformat(limit)
        if shown == allowed:  # just over the cap: rounding would hide the difference
            shown, allowed = f"{size:,} bytes", f"{limit:,} bytes"
        raise ValidationError(
            f"The file is {shown}; the largest file accepted is {allowed}.",
            code="report_file_too_large",
        )
    claimed = extension_type(name)
    if claimed is None:
        refuse("This kind of file is not accepted.")

    upload.seek(0)
    head = upload.read(PDF_SLACK)
    if head.startswith(b"%PDF-"):
        _check_pdf(upload, size)
        found = FileType.PDF
    elif head.startswith(b"PK\x03\x04"):
        found = _identify_zip(upload)
    elif claimed == FileType.CSV:
        _check_csv(upload)
        found = FileType.CSV
    else:
        refuse("The file's content is not one of the accepted kinds.")
    upload.seek(0)

    if found != claimed:
        refuse(
            f"The file is named .{claimed} but its content is {FileType(found).label} "
            f"(.{found}): rename it or upload the right file."
        )
    return Identified(file_type=found, size=size)


def stored_name(original_name, file_type):
    """A storage name made from the upload's name: slugified, with the checked extension."""
    stem = slugify(PurePosixPath(original_name or "").stem)[:80].strip("-") or "report"
    return f"{stem}.{file_type}"


def _size_of(upload):
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    return size


def _check_pdf(upload, size):
    upload.seek(max(0, size - PDF_SLACK))
    if b"%%EOF" not in upload.read(PDF_SLACK):
        refuse("The file starts like a PDF but is cut short or damaged (it has no end marker).")


def _identify_zip(upload):
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        refuse("The file looks like a zip archive but is damaged.")
    if len(members) > MAX_ZIP_MEMBERS:
        refuse("The file holds too many parts to be a document.")
    names = {member.filename for member in members}

    # OpenDocument: the first member is an uncompressed `mimetype` naming the format.
    if members and members[0].filename == "mimetype":
        found = _ODF_MIMETYPES.get(_read_member(archive, members[0]).strip())
        if found is None:
            refuse("The file is an OpenDocument file of a kind that is not accepted.")
        if "content.xml" not in names:
            refuse("The OpenDocument file has no content.")
        return found

    if "[Content_Types].xml" in names:
        declared = _ooxml_main_types(_read_member(archive, archive.getinfo("[Content_Types].xml")))
        for file_type, main in _OOXML_MAIN_PARTS.items():
            part = declared.get(main)
            if part is not None:
                if part.lstrip("/") not in names:
                    refuse("The Office file is missing its main part.")
                return file_type
        refuse("The file is an Office file of a kind that is not accepted (macros are not).")
    refuse("Zip archives are not accepted.")


def _read_member(archive, member):
    if member.file_size > MAX_CONTROL_MEMBER_BYTES:
        refuse("The file's parts are too large to be a document.")
    try:
        with archive.open(member) as handle:
            # Read at most the cap, whatever the header claims: a lying header cannot
            # make us inflate more than this.
            return handle.read(MAX_CONTROL_MEMBER_BYTES)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        refuse("The file looks like a zip archive but is damaged or encrypted.")


def _ooxml_main_types(xml_bytes):
    """Map each content type declared by an <Override> to its part name."""
    try:
        root = ElementTree.fromstring(xml_bytes)  # noqa: S314 - bounded size; expat refuses entity bombs
    except ElementTree.ParseError:
        refuse("The Office file's list of parts is damaged.")
    return {
        element.get("ContentType"): element.get("PartName", "")
        for element in root
        if element.tag.endswith("}Override") or element.tag == "Override"
    }


def _check_csv(upload):
    """CSV: text in UTF-8 (or Windows-1252, as Excel saves it), no NUL bytes, parseable."""
    upload.seek(0)
    sample = upload.read(CSV_SAMPLE_BYTES)
    stripped = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"<", b"#!", b"MZ", b"\x7fELF")):
        refuse("The file is markup or a program, not CSV.")
    for encoding in ("utf-8", "cp1252"):
        upload.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := upload.read(CHUNK):
                if b"\x00" in chunk:
                    refuse("The file is binary, not CSV text.")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        text = sample.decode(encoding, errors="ignore")
        break
    else:
        refuse("The file is not readable text, so it cannot be CSV.")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        refuse("The file is text but not valid CSV.")
    if not any(any(cell.strip() for cell in row) for row in rows):
        refuse("The CSV file has no data in it.")
