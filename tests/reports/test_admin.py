"""The reports admin: file facts and download counts for editors, and picking a post's report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from ktnsite.demo.files import make_pdf
from publishing.editing import edit_token
from reports.models import Report
from tests.factories import make_contact, make_encrypted_pdf, make_report, make_staff

pytestmark = pytest.mark.django_db


def published_report_form(report, **changes):
    """The report's change form as an editor posts it, published on 14/10/2021, with `changes`."""
    return {
        "title": report.title,
        "slug": report.slug,
        "summary": report.summary,
        "status": "published",
        "publish_at_0": "14/10/2021",
        "publish_at_1": "09:00:00",
        "edit_base": edit_token(report),  # the version the form was opened at
        **changes,
    }


def test_the_list_shows_type_size_pages_and_downloads(admin_client):
    report = make_report(title="Hydrogen futures")
    Report.objects.filter(pk=report.pk).update(download_count=F("download_count") + 37)
    html = admin_client.get("/admin/reports/report/").content.decode()
    for column in ("column-file_type", "column-size", "column-page_count", "column-downloads"):
        assert column in html
    row = html[html.index("Hydrogen futures") :]
    assert '<td class="field-file_type">PDF</td>' in row
    assert '<td class="field-page_count">2</td>' in row
    assert '<td class="field-downloads">37</td>' in row


def test_the_change_page_shows_the_file_facts_read_only(admin_client):
    report = make_report()
    html = admin_client.get(f"/admin/reports/report/{report.pk}/change/").content.decode()
    assert '<div class="readonly">PDF</div>' in html
    assert "Page one." in html  # the start of the text read for search
    assert 'name="page_count"' not in html
    assert 'name="download_count"' not in html
    assert 'name="file_type"' not in html


def test_a_new_file_replaces_the_facts(admin_client):
    report = make_report(content=make_pdf([["Old"]]), filename="old.pdf")
    response = admin_client.post(
        f"/admin/reports/report/{report.pk}/change/",
        published_report_form(
            report,
            file=SimpleUploadedFile("new.pdf", make_pdf([["New words"], ["Two"], ["Three"]])),
        ),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.page_count == 3
    assert "New words" in report.extracted_text


def test_an_unreadable_pdf_is_saved_with_a_warning_for_the_editor(admin_client):
    response = admin_client.post(
        "/admin/reports/report/add/",
        {
            "title": "Locked",
            "slug": "locked",
            "summary": "A locked report.",
            "status": "draft",
            "publish_at_0": "14/10/2021",
            "publish_at_1": "09:00:00",
            "file": SimpleUploadedFile("locked.pdf", make_encrypted_pdf([["Secret"]])),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "password-protected" in response.content.decode()
    assert Report.objects.get(slug="locked").file_type == "pdf"


def test_a_post_finds_its_report_by_autocomplete(admin_client):
    make_report(title="Hydrogen futures")
    make_report(title="Vertical farming")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "news", "model_name": "post", "field_name": "report", "term": "hydro"},
    )
    assert [item["text"] for item in response.json()["results"]] == ["Hydrogen futures"]


def test_an_editor_names_who_readers_ask_for_an_accessible_format(client):
    # Per report, in the admin: the contact found by autocomplete, then named on the page.
    client.force_login(make_staff("ed", groups=["Editors"]))
    report = make_report(title="Hydrogen futures")
    ada = make_contact(name="Ada Lovelace", slug="ada", job_title="Publications Lead")
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "reports", "model_name": "report",
         "field_name": "accessible_format_contact", "term": "ada"},
    )  # fmt: skip
    assert [item["text"] for item in found.json()["results"]] == ["Ada Lovelace"]
    response = client.post(
        f"/admin/reports/report/{report.pk}/change/",
        published_report_form(report, accessible_format_contact=ada.pk, _continue="Save"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.accessible_format_contact == ada
    client.logout()
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'href="/contacts/ada/">Request an accessible format' in html
    assert "from Ada Lovelace, Publications Lead." in html


def test_the_contact_picker_pages_through_contacts_by_name(admin_client):
    # Select2 asks for 20 at a time: without an order of its own the second page could
    # repeat or skip people (the contacts admin counts enquiries, and a GROUP BY drops the
    # model's default order).
    names = [f"Lead {n:02d}" for n in range(25)]
    for name in reversed(names):
        make_contact(name=name)
    shown = []
    for page in ("1", "2"):
        response = admin_client.get(
            "/admin/autocomplete/",
            {"app_label": "reports", "model_name": "report",
             "field_name": "accessible_format_contact", "term": "lead", "page": page},
        )  # fmt: skip
        shown += [item["text"] for item in response.json()["results"]]
    assert shown == names


def test_read_report_files_fills_in_reports_uploaded_before_facts_were_read():
    from io import StringIO

    from django.core.management import call_command

    report = make_report()
    Report.objects.filter(pk=report.pk).update(file_type="", page_count=None, extracted_text="")
    out = StringIO()
    call_command("read_report_files", stdout=out)
    report.refresh_from_db()
    assert report.file_type == "pdf"
    assert report.page_count == 2
    assert "Read 1 report file(s)." in out.getvalue()
