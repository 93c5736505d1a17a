"""File facts read on upload: page counts and text, and what happens with awkward PDFs."""

import io
import re
import zipfile

import pytest

from ktnsite.demo.files import make_pdf
from reports import extract
from reports.services import report_file_read
from tests.factories import make_encrypted_pdf, make_ooxml, make_report

pytestmark = pytest.mark.django_db

FOUR_PAGES = [[f"Chapter {n}", f"The words of chapter {n}."] for n in range(1, 5)]


def test_a_pdfs_pages_and_text_are_read_in_the_sandbox():
    report = make_report(content=make_pdf(FOUR_PAGES), filename="four.pdf")
    report_file_read(report=report)  # the untrusted path: a child process
    report.refresh_from_db()
    assert report.file_type == "pdf"
    assert report.page_count == 4
    assert report.file_size == report.file.size
    for n in range(1, 5):
        assert f"The words of chapter {n}." in report.extracted_text
    assert report.file_note == ""


def test_the_attachment_facts_read_like_govuk():
    report = make_report(content=make_pdf(FOUR_PAGES), filename="four.pdf")
    assert re.fullmatch(r"PDF, 1\.\d\xa0KB, 4 pages", report.attachment_facts())


def test_an_encrypted_pdf_is_kept_with_a_note_for_the_editor():
    report = make_report(content=make_encrypted_pdf(FOUR_PAGES), filename="locked.pdf")
    report_file_read(report=report)
    report.refresh_from_db()
    assert report.file_type == "pdf"
    assert report.page_count is None
    assert report.extracted_text == ""
    assert "password-protected" in report.file_note


def test_a_corrupt_pdf_is_kept_with_a_note_for_the_editor():
    garbage = b"%PDF-1.7\n" + b"\x00garbage" * 200 + b"\n%%EOF\n"
    report = make_report(content=garbage, filename="broken.pdf")
    report_file_read(report=report)
    report.refresh_from_db()
    assert report.file_type == "pdf"
    assert report.page_count is None
    assert "could not be read" in report.file_note or "damaged" in report.file_note


def test_a_long_pdf_is_read_up_to_the_page_cap(settings):
    settings.REPORTS_EXTRACT_MAX_PAGES = 2
    report = make_report(content=make_pdf(FOUR_PAGES), filename="four.pdf")
    report_file_read(report=report)
    assert report.page_count == 4
    assert "chapter 2." in report.extracted_text
    assert "chapter 3." not in report.extracted_text
    assert "Only the first 2 of 4 pages were read" in report.file_note


def test_the_text_stops_at_the_character_cap(settings):
    settings.REPORTS_EXTRACT_MAX_CHARS = 30
    report = make_report(content=make_pdf(FOUR_PAGES), filename="four.pdf")
    report_file_read(report=report)
    assert 0 < len(report.extracted_text) <= 30
    assert "cut at 30 characters" in report.file_note


def test_reading_that_takes_too_long_is_stopped_and_noted(settings):
    settings.REPORTS_EXTRACT_TIMEOUT = 0.001
    report = make_report(content=make_pdf(FOUR_PAGES), filename="four.pdf")
    report_file_read(report=report)
    report.refresh_from_db()
    assert report.file_type == "pdf"
    assert report.page_count is None
    assert "took longer than" in report.file_note


def test_reading_that_needs_too_much_memory_is_stopped_and_noted(settings):
    settings.REPORTS_EXTRACT_MEMORY_MB = 16  # less than the interpreter itself needs
    report = make_report(content=make_pdf(FOUR_PAGES), filename="four.pdf")
    report_file_read(report=report)
    assert report.page_count is None
    assert "memory" in report.file_note


def test_a_zip_bomb_is_read_only_up_to_the_caps(settings):
    settings.REPORTS_EXTRACT_MAX_CHARS = 10_000
    paragraph = "<w:p><w:r><w:t>" + "bomb " * 40 + "</w:t></w:r></w:p>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", zipfile.ZipFile(io.BytesIO(make_ooxml("docx"))).read("[Content_Types].xml"))  # fmt: skip
        with archive.open("word/document.xml", "w") as part:
            part.write(b'<w:document xmlns:w="w"><w:body>')
            block = paragraph.encode() * 5000  # about 1 MB
            for _ in range(30):  # about 30 MB inflated, a few hundred KB stored
                part.write(block)
            part.write(b"</w:body></w:document>")
    bomb = buffer.getvalue()
    assert len(bomb) < 2 * 1024 * 1024
    report = make_report(content=bomb, filename="bomb.docx")
    report_file_read(report=report)
    assert report.file_type == "docx"
    assert len(report.extracted_text) <= 10_000
    assert "cut at 10,000 characters" in report.file_note


def test_a_presentation_counts_its_slides():
    report = make_report(content=make_ooxml("pptx", ["One", "Two", "Three"]), filename="s.pptx")
    assert report.page_count == 3
    assert report.attachment_facts().endswith("3 slides")
    assert report.extracted_text.split("\n") == ["One", "Two", "Three"]


def test_a_zip_bomb_that_never_closes_a_paragraph_is_noted_for_the_editor(monkeypatch):
    """One paragraph that unzips past the cap: no text can be read, and the editor is told why."""
    monkeypatch.setattr(extract, "MAX_XML_PART_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", zipfile.ZipFile(io.BytesIO(make_ooxml("docx"))).read("[Content_Types].xml"))  # fmt: skip
        with archive.open("word/document.xml", "w") as part:
            part.write(b'<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>')
            for _ in range(4):
                part.write(b" " * (1024 * 1024))
    report = make_report(content=buffer.getvalue(), filename="bomb.docx")  # read in-process
    assert report.file_type == "docx"
    assert report.extracted_text == ""
    assert "word/document.xml" in report.file_note
    assert "unzips to more than 1 MB" in report.file_note


def test_a_damaged_document_part_is_noted_for_the_editor():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", zipfile.ZipFile(io.BytesIO(make_ooxml("docx"))).read("[Content_Types].xml"))  # fmt: skip
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="w"><w:body><w:p><w:t>Kept</w:t></w:p><w:p><w:t>Lost',
        )
    report = make_report(content=buffer.getvalue(), filename="broken.docx")
    assert report.extracted_text == "Kept"
    assert "is damaged" in report.file_note
