"""A validation error keeps the uploaded file (issue 11.4): the report's document and the
library's picture are kept for the next submit, said so on the form, and cleaned up."""

import os
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ktnsite.demo.files import make_pdf
from library.models import Image
from library.uploads import PREFIX, sweep_pending_uploads
from reports.models import Report
from tests.factories import make_image_bytes, make_staff, make_upload

pytestmark = pytest.mark.django_db

REPORT_ADD = reverse("admin:reports_report_add")
IMAGE_ADD = reverse("admin:library_image_add")


@pytest.fixture
def ed():
    client = Client()
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


def report_data(**overrides):
    return {"title": "Impact report", "slug": "impact-report", "summary": "What it found.",
            "_publishing": "draft", **overrides}  # fmt: skip


def kept_reference(page, field="file"):
    found = re.search(rf'name="{field}__kept" value="([^"]+)"', page)
    return found.group(1) if found else None


def pending_files():
    try:
        return default_storage.listdir(PREFIX)[1]
    except FileNotFoundError:
        return []


def test_a_report_s_file_survives_a_mistake_elsewhere_and_is_used_on_the_next_submit(ed):
    pdf = make_pdf([["Findings of the impact report"]])
    response = ed.post(
        REPORT_ADD, report_data(summary="", file=SimpleUploadedFile("impact.pdf", pdf))
    )
    page = response.content.decode()
    assert response.status_code == 200 and "This field is required" in page
    assert "Kept: <strong>impact.pdf</strong>" in page and "choose another file to replace" in page
    assert not Report.objects.exists()
    reference = kept_reference(page)
    assert reference and len(pending_files()) == 1

    response = ed.post(REPORT_ADD, report_data(file__kept=reference))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.file.name.endswith(".pdf") and report.file_type == "pdf"
    assert "Findings of the impact report" in report.extracted_text
    assert pending_files() == []  # the kept copy went once used


def test_a_newly_chosen_file_replaces_the_kept_one(ed):
    first = ed.post(
        REPORT_ADD,
        report_data(summary="", file=SimpleUploadedFile("old.pdf", make_pdf([["Old words"]]))),
    )
    reference = kept_reference(first.content.decode())
    ed.post(
        REPORT_ADD,
        report_data(
            file__kept=reference, file=SimpleUploadedFile("new.pdf", make_pdf([["New words"]]))
        ),
    )
    assert "New words" in Report.objects.get().extracted_text


def test_a_refused_file_is_not_kept(ed):
    response = ed.post(
        REPORT_ADD, report_data(file=SimpleUploadedFile("fake.pdf", b"not a pdf at all"))
    )
    page = response.content.decode()
    assert "Kept:" not in page and kept_reference(page) is None and pending_files() == []


def test_a_forged_reference_keeps_nothing(ed):
    response = ed.post(REPORT_ADD, report_data(file__kept="pending-uploads/x:forged"))
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not Report.objects.exists()


def test_the_library_keeps_a_chosen_picture_when_the_alt_text_is_missing(ed):
    response = ed.post(IMAGE_ADD, {"file": make_upload("lab.jpg"), "alt": ""})
    page = response.content.decode()
    assert "Describe the image" in page and "Kept: <strong>lab.jpg</strong>" in page
    response = ed.post(IMAGE_ADD, {"file__kept": kept_reference(page), "alt": "A laboratory"})
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.alt == "A laboratory" and image.width == 1200
    assert pending_files() == []


def test_kept_files_older_than_the_limit_are_swept(settings):
    settings.PUBLISHING_PENDING_UPLOAD_HOURS = 24
    old = default_storage.save(f"{PREFIX}/old", ContentFile(b"x"))
    new = default_storage.save(f"{PREFIX}/new", ContentFile(b"y"))
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    assert sweep_pending_uploads() == 1
    assert not default_storage.exists(old) and default_storage.exists(new)
    default_storage.delete(new)


def test_an_image_upload_still_works_without_a_mistake(ed):
    ed.post(IMAGE_ADD, {"file": make_upload("ok.jpg", make_image_bytes()), "alt": "Fine"})
    assert Image.objects.get().alt == "Fine" and pending_files() == []
