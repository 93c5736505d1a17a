"""End to end through django-storages' S3Storage, against moto's S3 emulator on loopback.

The storage is configured the way an operator does it, from DJANGO_MEDIA_STORAGE and the
MEDIA_S3_* variables, and talks real HTTP to the emulator. Skipped where moto is not installed.
"""

import io
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ktnsite.demo.files import make_pdf
from ktnsite.settings import media_storage
from news.models import Post
from reports.models import Report
from tests.factories import admin_post_data, make_image_bytes, make_report, make_staff, make_upload

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

pytestmark = pytest.mark.django_db

BUCKET = "ktnsite-media"
PDF = make_pdf([["Hydrogen futures", "Electrolysers at scale."], ["Page two."]])


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def use_s3(s3_endpoint, s3_bucket, settings, monkeypatch):
    """Set STORAGES["default"] as the settings build it for DJANGO_MEDIA_STORAGE=s3."""

    def configure(**env):
        defaults = {
            "DJANGO_MEDIA_STORAGE": "s3",
            "MEDIA_S3_BUCKET": BUCKET,
            "MEDIA_S3_ENDPOINT_URL": s3_endpoint,
            "MEDIA_S3_REGION": "us-east-1",
            "MEDIA_S3_ADDRESSING_STYLE": "path",
            "MEDIA_S3_ACCESS_KEY_ID": "testing",
            "MEDIA_S3_SECRET_ACCESS_KEY": "testing",
        }
        for name, value in {**defaults, **env}.items():
            monkeypatch.setenv(name, value)
        settings.STORAGES = {**settings.STORAGES, "default": media_storage()}
        from django.core.files.storage import default_storage

        return default_storage

    return configure


@pytest.fixture
def s3_storage(use_s3):
    # The emulator keeps objects private unless told otherwise, as AWS does.
    return use_s3(MEDIA_S3_DEFAULT_ACL="public-read")


def test_uploads_go_to_the_bucket_and_are_read_back_from_it(
    client, django_user_model, s3_storage, s3_endpoint
):
    assert s3_storage.__class__.__name__ == "S3Storage"
    chief = django_user_model.objects.create_user("chief", is_staff=True, is_superuser=True)
    client.force_login(chief)
    response = client.post(
        "/admin/reports/report/add/",
        {
            "title": "Hydrogen futures",
            "slug": "hydrogen-futures",
            "summary": "What comes next for hydrogen.",
            "status": "published",
            "publish_at_0": "14/10/2021",
            "publish_at_1": "09:00:00",
            "confirm_backdate": "on",
            "file": SimpleUploadedFile("futures.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get(slug="hydrogen-futures")
    assert (report.page_count, report.file_size) == (2, len(PDF))
    assert "Electrolysers at scale." in report.extracted_text

    url = report.get_download_url()
    assert b"".join(client.get(url).streaming_content) == PDF
    part = client.get(url, headers={"Range": "bytes=10-59"})
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == PDF[10:60]
    head = client.head(url)
    assert (head.status_code, head["Content-Length"]) == (200, str(len(PDF)))


def test_hero_renditions_are_stored_in_the_bucket_and_the_page_links_to_them(
    client, s3_storage, s3_endpoint, django_capture_on_commit_callbacks
):
    from library.models import Image as LibraryImage

    client.force_login(make_staff("ed", groups=["Editors"]))
    upload = make_upload("wide.jpg", make_image_bytes("JPEG", (2000, 1000)))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:library_image_add"), {"file": upload, "alt": "Vials"})
    client.post(
        reverse("admin:news_post_add"),
        admin_post_data(hero_image=LibraryImage.objects.get().pk, status="published"),
    )
    post = Post.objects.get()
    smallest = post.hero_image.sources[0]["webp"]
    address = s3_storage.url(smallest)
    assert address.startswith(f"{s3_endpoint}/{BUCKET}/")
    assert address in client.get(post.get_absolute_url()).content.decode()
    with urllib.request.urlopen(address, timeout=10) as answer:  # noqa: S310 - loopback emulator
        assert Image.open(io.BytesIO(answer.read())).size == (480, 240)


def test_a_report_missing_from_the_bucket_is_a_404(client, s3_storage, caplog):
    report = make_report()
    s3_storage.delete(report.file.name)
    assert client.get(report.get_download_url()).status_code == 404
    assert "has no file in storage" in caplog.text


def test_private_files_get_short_lived_signed_addresses(client, use_s3):
    storage = use_s3(MEDIA_S3_QUERYSTRING_AUTH="1", MEDIA_S3_QUERYSTRING_EXPIRE="300")
    name = storage.save("news/2026/lab.jpg", io.BytesIO(make_image_bytes("JPEG", (40, 30))))
    signed = storage.url(name)
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=300" in signed
    with urllib.request.urlopen(signed, timeout=10) as answer:  # noqa: S310 - loopback emulator
        assert Image.open(io.BytesIO(answer.read())).size == (40, 30)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(signed.split("?")[0], timeout=10)  # noqa: S310
    assert refused.value.code == 403
