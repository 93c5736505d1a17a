"""Report pages and downloads: live reports for readers, drafts for editors only."""

import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ktnsite.demo.files import make_pdf
from publishing.models import Status
from tests.factories import make_ooxml, make_report

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
    assert _body(response) == _stored(report)


def test_an_editors_preview_download_of_a_draft_is_not_counted(editor_client):
    report = make_report(status=Status.DRAFT)
    b"".join(editor_client.get(report.get_download_url()).streaming_content)
    report.refresh_from_db()
    assert report.download_count == 0


def test_a_report_whose_file_vanished_is_a_404_not_a_500(client, caplog):
    report = make_report()
    report.file.storage.delete(report.file.name)
    response = client.get(report.get_download_url())
    assert response.status_code == 404
    assert "has no file in storage" in caplog.text


def _body(response):
    return b"".join(response.streaming_content)


def _stored(report):
    with report.file.open("rb") as handle:
        return handle.read()


def _count(report):
    report.refresh_from_db()
    return report.download_count


def test_each_whole_download_counts_once(client):
    report = make_report()
    for _ in range(3):
        _body(client.get(report.get_download_url()))
    assert _count(report) == 3


def test_the_download_is_streamed_in_chunks_not_loaded_whole(client):
    report = make_report(content=make_pdf([["x" * 80] * 48] * 60), filename="long.pdf")
    response = client.get(report.get_download_url())
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 1
    assert max(len(chunk) for chunk in chunks) <= 64 * 1024
    assert b"".join(chunks) == _stored(report)


def test_head_gives_the_headers_without_a_body_or_a_count(client):
    report = make_report()
    response = client.head(report.get_download_url())
    assert response.status_code == 200
    assert response["Content-Length"] == str(report.file.size)
    assert response["Content-Type"] == "application/pdf"
    assert response["Accept-Ranges"] == "bytes"
    assert response.content == b""
    assert _count(report) == 0


def test_a_range_from_the_start_gets_206_and_counts(client):
    report = make_report()
    size = report.file.size
    response = client.get(report.get_download_url(), HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{size}"
    assert response["Content-Length"] == "100"
    assert _body(response) == _stored(report)[:100]
    assert _count(report) == 1


def test_a_range_that_continues_a_download_does_not_count_again(client):
    report = make_report()
    size = report.file.size
    response = client.get(report.get_download_url(), HTTP_RANGE="bytes=100-")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-{size - 1}/{size}"
    assert _body(response) == _stored(report)[100:]
    assert _count(report) == 0


def test_a_suffix_range_gets_the_last_bytes(client):
    report = make_report()
    response = client.get(report.get_download_url(), HTTP_RANGE="bytes=-7")
    assert response.status_code == 206
    assert response["Content-Length"] == "7"
    assert _body(response) == _stored(report)[-7:]


def test_a_range_past_the_end_is_416_with_the_size(client):
    report = make_report()
    size = report.file.size
    response = client.get(report.get_download_url(), HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert _count(report) == 0


@pytest.mark.parametrize("header", ["bytes=0-1,5-9", "items=0-5", "bytes=9-2", "nonsense"])
def test_a_range_we_do_not_serve_gets_the_whole_file(client, header):
    report = make_report()
    response = client.get(report.get_download_url(), HTTP_RANGE=header)
    assert response.status_code == 200
    assert _body(response) == _stored(report)


def test_a_range_for_an_older_version_gets_the_whole_new_file(client):
    report = make_report()
    response = client.get(
        report.get_download_url(), HTTP_RANGE="bytes=100-", HTTP_IF_RANGE='"an-old-etag"'
    )
    assert response.status_code == 200
    assert _body(response) == _stored(report)
    etag = response["ETag"]
    response = client.get(report.get_download_url(), HTTP_RANGE="bytes=100-", HTTP_IF_RANGE=etag)
    assert response.status_code == 206
    assert _body(response) == _stored(report)[100:]


def test_an_office_file_downloads_with_its_own_content_type(client):
    report = make_report(slug="regional-data", content=make_ooxml("xlsx"), filename="d.xlsx")
    response = client.get(report.get_download_url())
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="regional-data.xlsx"'
    assert _body(response) == _stored(report)


def test_a_scheduled_report_cannot_be_downloaded_by_a_reader(client):
    report = make_report(publish_at=timezone.now() + timedelta(days=1))
    assert client.get(report.get_download_url()).status_code == 404
    assert _count(report) == 0


def test_a_missing_file_shows_the_styled_404_page(client):
    report = make_report()
    report.file.storage.delete(report.file.name)
    response = client.get(report.get_download_url())
    assert "Page not found" in response.content.decode()


def test_shared_caches_are_told_not_to_keep_a_download(client):
    report = make_report()
    response = client.get(report.get_download_url())
    assert response["Cache-Control"] == "private"
    assert _body(response) == _stored(report)


def test_only_get_and_head_are_allowed(client):
    report = make_report()
    assert client.post(report.get_download_url()).status_code == 405


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrency needs real parallel writers: runs when DATABASE_URL is PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_downloads_add_exactly_fifty(live_server):
    report = make_report()
    url = live_server.url + report.get_download_url()
    start = threading.Barrier(50)

    def download(_):
        start.wait(timeout=30)
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, len(response.read())

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(download, range(50)))
    assert results == [(200, report.file.size)] * 50
    assert _count(report) == 50


@pytest.mark.parametrize("accept_encoding", ["", "gzip, deflate, br"])
def test_a_whole_download_is_the_stored_file_with_a_strong_etag_and_length(client, accept_encoding):
    report = make_report(content=make_pdf([["x" * 80] * 48] * 6), filename="long.pdf")
    response = client.get(report.get_download_url(), HTTP_ACCEPT_ENCODING=accept_encoding)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response["Content-Length"] == str(report.file.size)
    assert not response["ETag"].startswith("W/")
    assert _body(response) == _stored(report)


@pytest.mark.parametrize("accept_encoding", ["", "gzip, deflate, br"])
def test_a_download_resumes_with_if_range_with_or_without_accept_encoding(client, accept_encoding):
    report = make_report(content=make_pdf([["x" * 80] * 48] * 6), filename="long.pdf")
    size = report.file.size
    first = client.get(
        report.get_download_url(), HTTP_RANGE="bytes=0-999", HTTP_ACCEPT_ENCODING=accept_encoding
    )
    assert first.status_code == 206
    assert not first.has_header("Content-Encoding")
    assert first["Content-Length"] == "1000"
    head = _body(first)
    assert head == _stored(report)[:1000]
    rest = client.get(
        report.get_download_url(),
        HTTP_RANGE="bytes=1000-",
        HTTP_IF_RANGE=first["ETag"],
        HTTP_ACCEPT_ENCODING=accept_encoding,
    )
    assert rest.status_code == 206
    assert not rest.has_header("Content-Encoding")
    assert rest["Content-Range"] == f"bytes 1000-{size - 1}/{size}"
    assert rest["ETag"] == first["ETag"]
    assert head + _body(rest) == _stored(report)


def test_pages_are_still_compressed_for_readers_who_accept_gzip(client):
    report = make_report(summary="A long summary. " * 40)
    response = client.get(report.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
