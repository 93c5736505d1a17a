"""Report pages and downloads: live reports for readers, drafts for editors only."""

import pytest

from publishing.models import Status
from tests.factories import make_report

pytestmark = pytest.mark.django_db


def test_a_live_report_page_links_to_its_download(client):
    report = make_report(title="Hydrogen futures")
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Hydrogen futures" in html
    assert f'href="{report.get_download_url()}"' in html


def test_the_download_is_an_attachment_named_after_the_slug(client):
    report = make_report(slug="hydrogen-futures")
    response = client.get(report.get_download_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="hydrogen-futures.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_draft_report_cannot_be_downloaded_by_a_reader(client):
    report = make_report(status=Status.DRAFT)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(report.get_download_url()).status_code == 404


def test_an_editor_can_download_a_draft_report(editor_client):
    report = make_report(status=Status.DRAFT)
    response = editor_client.get(report.get_download_url())
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_a_report_whose_file_vanished_is_a_404_not_a_500(client, caplog):
    report = make_report()
    report.file.storage.delete(report.file.name)
    response = client.get(report.get_download_url())
    assert response.status_code == 404
    assert "has no file on disk" in caplog.text
