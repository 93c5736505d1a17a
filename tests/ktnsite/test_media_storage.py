"""Every upload path works on a storage with no local files (Django's InMemoryStorage)."""

import io
import logging
import os

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from contacts.models import Contact
from ktnsite.demo.files import make_pdf
from library.models import Image as LibraryImage
from news.models import Post
from publishing.editing import edit_token
from reports.models import Report
from tests.factories import (
    admin_post_data,
    make_contact,
    make_image_bytes,
    make_report,
    make_staff,
    make_upload,
)

pytestmark = pytest.mark.django_db

PDF = make_pdf([["Hydrogen futures", "Electrolysers at scale."], ["Page two."], ["Three."]])


@pytest.fixture
def editors_client(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_user("chief", is_staff=True, is_superuser=True)
    )
    return client


def _library_upload(client, capture, upload, alt):
    """Upload to the image library as an editor does, renditions made after the commit."""
    with capture(execute=True):
        response = client.post(reverse("admin:library_image_add"), {"file": upload, "alt": alt})
    assert response.status_code == 302
    return LibraryImage.objects.latest("pk")


def _nothing_on_local_disk(storage, media_root):
    """No upload reached MEDIA_ROOT and no temporary copy was left behind."""
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))
    assert list(storage.scratch.iterdir()) == []


def test_the_storage_really_has_no_local_paths(memory_storage):
    assert memory_storage.__class__.__name__ == "InMemoryStorage"
    assert Report._meta.get_field("file").storage is memory_storage
    assert LibraryImage._meta.get_field("file").storage is memory_storage
    memory_storage.save("somewhere/a.txt", io.BytesIO(b"x"))
    # It answers path() with a name under MEDIA_ROOT, but nothing is ever there.
    assert not os.path.exists(memory_storage.path("somewhere/a.txt"))


def test_a_report_uploaded_in_the_admin_has_its_pages_and_text_read(
    superuser_client, memory_storage, media_root
):
    response = superuser_client.post(
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
    assert memory_storage.exists(report.file.name)
    assert (report.file_type, report.file_size, report.page_count) == ("pdf", len(PDF), 3)
    assert "Electrolysers at scale." in report.extracted_text
    assert report.file_note == ""
    _nothing_on_local_disk(memory_storage, media_root)


def test_a_download_streams_from_storage_with_ranges_and_head(client, memory_storage):
    report = make_report(content=PDF, filename="futures.pdf")
    url = report.get_download_url()

    whole = client.get(url)
    assert whole.status_code == 200
    assert b"".join(whole.streaming_content) == PDF
    assert whole["Content-Length"] == str(len(PDF))

    part = client.get(url, headers={"Range": "bytes=5-104"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 5-104/{len(PDF)}"
    assert b"".join(part.streaming_content) == PDF[5:105]

    tail = client.get(url, headers={"Range": "bytes=-10"})
    assert b"".join(tail.streaming_content) == PDF[-10:]

    head = client.head(url)
    assert head.status_code == 200
    assert head["Content-Length"] == str(len(PDF))
    assert head["Accept-Ranges"] == "bytes"
    assert head.content == b""

    report.refresh_from_db()
    assert (
        report.download_count == 1
    )  # the whole GET; the ranges from byte 5 and the end and HEAD do not count


def test_a_report_missing_from_storage_is_a_404_and_an_error_in_the_log(
    client, memory_storage, caplog
):
    report = make_report()
    memory_storage.delete(report.file.name)
    with caplog.at_level(logging.ERROR, logger="reports.views"):
        response = client.get(report.get_download_url())
    assert response.status_code == 404
    assert "has no file in storage" in caplog.text
    assert client.head(report.get_download_url()).status_code == 404


def test_a_hero_image_upload_makes_renditions_the_article_shows(
    editors_client, client, memory_storage, media_root, django_capture_on_commit_callbacks
):
    upload = make_upload("wide.jpg", make_image_bytes("JPEG", (2000, 1000)))
    image = _library_upload(
        editors_client, django_capture_on_commit_callbacks, upload, "Vials on a line"
    )
    editors_client.post(
        reverse("admin:news_post_add"),
        admin_post_data(hero_image=image.pk, status="published"),
    )
    post = Post.objects.get()
    sources = post.hero_image.sources
    assert [s["w"] for s in sources] == [480, 960, 1600]
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'alt="Vials on a line" width="1600" height="800"' in page
    for source in sources:
        assert memory_storage.url(source["webp"]) in page
        assert memory_storage.url(source["fallback"]) in page
    # The address in the page answers with the picture (served through the storage API).
    picture = client.get(memory_storage.url(sources[0]["webp"]))
    assert picture.status_code == 200
    assert Image.open(io.BytesIO(b"".join(picture.streaming_content))).size == (480, 240)
    _nothing_on_local_disk(memory_storage, media_root)


def test_a_contact_photo_upload_is_stored_and_shown(
    editors_client, client, memory_storage, django_capture_on_commit_callbacks
):
    contact = make_contact()
    upload = make_upload("me.jpg", make_image_bytes("JPEG", (600, 800)))
    image = _library_upload(
        editors_client, django_capture_on_commit_callbacks, upload, "Smiling, outdoors"
    )
    editors_client.post(
        reverse("admin:contacts_contact_change", args=[contact.pk]),
        {
            "name": contact.name,
            "slug": contact.slug,
            "email": contact.email,
            "photo": image.pk,
            "is_active": "on",
            "edit_base": edit_token(contact),  # the version the form was opened at
        },
    )
    contact = Contact.objects.get(pk=contact.pk)
    assert memory_storage.exists(contact.photo.file.name)
    page = client.get(contact.get_absolute_url()).content.decode()
    assert 'alt="Smiling, outdoors"' in page
    fallback = contact.photo.sources[0]["fallback"]
    assert memory_storage.url(fallback) in page


def test_load_demo_works_on_a_storage_without_local_files(
    client, memory_storage, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    reports = list(Report.objects.all())
    assert reports and all(r.page_count and r.extracted_text for r in reports)
    assert all(memory_storage.exists(r.file.name) for r in reports)
    posts = list(Post.objects.exclude(hero_image=None))
    assert posts
    for post in posts:
        for source in post.hero_image.sources:
            assert memory_storage.exists(source["webp"])
    download = client.get(reports[0].get_download_url())
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    _nothing_on_local_disk(memory_storage, media_root)


def test_a_file_the_storage_lacks_is_a_404_from_the_media_address(client, memory_storage):
    assert client.get("/media/news/2024/nothing-here.jpg").status_code == 404


@pytest.mark.parametrize(
    "path", ["/media/../manage.py", "/media/%2e%2e/manage.py", "/media/reports/"]
)
def test_the_media_address_serves_nothing_outside_the_storage_nor_a_folder(client, path):
    make_report()  # so the media folder exists, with a folder in it
    assert client.get(path).status_code in (400, 404)


def test_the_feed_gives_each_enclosures_length_without_asking_the_storage(
    editors_client, client, memory_storage, monkeypatch, django_capture_on_commit_callbacks
):
    for n in range(3):
        upload = make_upload(f"pic{n}.jpg", make_image_bytes("JPEG", (800, 400)))
        image = _library_upload(editors_client, django_capture_on_commit_callbacks, upload, "A lab")
        editors_client.post(
            reverse("admin:news_post_add"),
            admin_post_data(
                title=f"Post {n}",
                slug=f"post-{n}",
                hero_image=image.pk,
                status="published",
            ),
        )
    asked = []
    monkeypatch.setattr(memory_storage._wrapped, "size", lambda name: asked.append(name) or 0)
    feed = feedparser.parse(client.get("/feeds/news/").content)
    assert len(feed.entries) == 3
    for entry in feed.entries:
        enclosure = entry.enclosures[0]
        name = enclosure.href.split(memory_storage.base_url, 1)[1]
        with memory_storage.open(name) as stored:
            assert int(enclosure.length) == len(stored.read()) > 0
    assert asked == []  # a bucket would have answered one HTTP request per item
