"""Uploading a report in the admin: accepted by content, refused with a message, named safely."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ktnsite.demo.files import make_pdf
from publishing.editing import edit_token
from reports.models import Report
from tests.factories import make_odf, make_ooxml, make_zip

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/reports/report/add/"
PDF = make_pdf([["Hydrogen futures", "Electrolysers at scale."], ["Page two."]])
CSV = b"region,projects\nNorth East,12\nScotland,9\n"
DOCX_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
ACCEPTED_MESSAGE = "Upload a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument"


def _post(client, name, content, **fields):
    data = {
        "title": "Hydrogen futures",
        "slug": "hydrogen-futures",
        "summary": "What comes next for hydrogen.",
        "status": "published",
        "publish_at_0": "14/10/2021",
        "publish_at_1": "09:00:00",
        "confirm_backdate": "on",  # archive material, published with its own date
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        **fields,
    }
    return client.post(ADD_URL, data)


def _stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "file_type", "words"),
    [
        ("futures.pdf", PDF, "pdf", "Electrolysers at scale."),
        ("futures.docx", make_ooxml("docx", ["Electrolysers in Word"]), "docx", "in Word"),
        ("futures.xlsx", make_ooxml("xlsx", ["Electrolysers by region"]), "xlsx", "by region"),
        ("futures.pptx", make_ooxml("pptx", ["Slide one", "Slide two"]), "pptx", "Slide two"),
        ("futures.odt", make_odf("odt", ["Electrolysers in ODT"]), "odt", "in ODT"),
        ("futures.ods", make_odf("ods", ["Electrolysers in ODS"]), "ods", "in ODS"),
        ("futures.csv", CSV, "csv", "North East,12"),
    ],
)
def test_each_accepted_kind_of_file_is_stored_with_its_facts(
    admin_client, name, content, file_type, words
):
    response = _post(admin_client, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get(slug="hydrogen-futures")
    assert report.file_type == file_type
    assert report.file_size == len(content)
    assert words in report.extracted_text
    assert report.file_note == ""


BAD_FILES = [
    # (what it is, upload name, bytes, what the message says)
    ("an SVG image", "chart.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "not accepted"),
    ("an HTML page", "report.html", b"<!doctype html><script>alert(1)</script>", "not accepted"),
    ("HTML named .csv", "report.csv", b"<html><script>alert(1)</script></html>", "markup"),
    ("a shell script named .csv", "data.csv", b"#!/bin/sh\nrm -rf /\n", "program"),
    ("a JavaScript file", "app.js", b"alert(1)", "not accepted"),
    ("a Windows program", "setup.exe", b"MZ\x90\x00" + b"\x00" * 200, "not accepted"),
    ("a program renamed .pdf", "report.pdf", b"MZ\x90\x00" + b"\x00" * 200, "not one of"),
    ("a zip archive", "bundle.zip", make_zip({"a.txt": "hello"}), "not accepted"),
    ("a zip renamed .docx", "report.docx", make_zip({"a.txt": "hello"}), "Zip archives"),
    ("a macro-enabled Word file", "report.docx", make_ooxml("docm"), "macros"),
    (
        "a Word file missing its body",
        "report.docx",
        make_zip({"[Content_Types].xml": DOCX_TYPES}),
        "missing its main part",
    ),  # fmt: skip
    ("an OpenDocument presentation", "slides.odt", make_odf("odp"), "not accepted"),
    ("a PDF named .docx", "report.docx", PDF, "named .docx but its content is PDF"),
    ("a Word file named .pdf", "report.pdf", make_ooxml("docx"), "content is MS Word"),
    ("a CSV named .pdf", "report.pdf", CSV, "not one of"),
    ("an empty file", "report.pdf", b"", "empty"),
    ("a PDF cut short", "report.pdf", PDF[: len(PDF) // 2], "cut short"),
    ("binary data named .csv", "data.csv", b"a,b\n\x00\x01\x02,3\n", "binary"),
    ("a damaged zip", "report.docx", b"PK\x03\x04" + b"\xff" * 100, "damaged"),
    ("a CSV with no data", "data.csv", b" , \n,\n", "no data"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [pytest.param(n, c, m, id=what) for what, n, c, m in BAD_FILES],
)
def test_a_refused_file_gets_a_message_and_nothing_is_saved(
    admin_client, media_root, name, content, message
):
    response = _post(admin_client, name, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "errorlist" in html
    assert not Report.objects.exists()
    assert _stored_files(media_root) == []


def test_every_refusal_says_what_is_accepted(admin_client):
    html = _post(admin_client, "setup.exe", b"MZ" + b"\x00" * 10).content.decode()
    assert ACCEPTED_MESSAGE in html


def test_a_file_over_the_size_cap_is_refused_with_both_sizes(admin_client, settings, media_root):
    settings.REPORTS_MAX_UPLOAD_BYTES = 1024
    response = _post(admin_client, "big.pdf", make_pdf([["x" * 80] * 40] * 3))
    html = response.content.decode()
    assert "the largest file accepted is 1.0\xa0KB" in html
    assert not Report.objects.exists()
    assert _stored_files(media_root) == []


def test_the_stored_name_is_slugified_and_stays_in_the_reports_folder(admin_client, media_root):
    response = _post(admin_client, "../../etc/Évil Name (FINAL)!.PDF", PDF)
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.file.name.startswith("reports/")
    assert report.file.name.endswith("/evil-name-final.pdf")
    stored = _stored_files(media_root)
    assert len(stored) == 1
    assert stored[0].resolve().is_relative_to(media_root.resolve())


def test_saving_without_a_new_file_keeps_the_file_and_its_facts(admin_client):
    _post(admin_client, "futures.pdf", PDF)
    report = Report.objects.get()
    response = admin_client.post(
        f"/admin/reports/report/{report.pk}/change/",
        {
            "title": "Hydrogen futures, revised",
            "slug": "hydrogen-futures",
            "summary": "Revised.",
            "status": "published",
            "publish_at_0": "14/10/2021",
            "publish_at_1": "09:00:00",
            "edit_base": edit_token(report),  # the version the form was opened at
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "Hydrogen futures, revised"
    assert report.page_count == 2
    assert "Electrolysers" in report.extracted_text
