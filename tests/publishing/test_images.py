"""Image uploads through the admin: refused by content with a reason, cleaned, cut into renditions."""

import io
import struct
import zlib

import pytest
from django.urls import reverse
from PIL import Image

from news.models import Post
from tests.factories import (
    admin_post_data,
    make_contact,
    make_image_bytes,
    make_post,
    make_report,
    make_staff,
    make_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors_client(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb(side=20_000):
    """A real PNG of side x side one-bit pixels: about 50 KB on disk, 400 megapixels inside."""
    row = b"\x00" + bytes(side // 8)
    squeeze = zlib.compressobj(1)
    idat = b"".join(squeeze.compress(row * 1000) for _ in range(side // 1000)) + squeeze.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


BAD_UPLOADS = {
    "svg": (
        "drawing.svg",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "SVG images are not accepted",
    ),
    "html renamed .jpg": (
        "photo.jpg",
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        "not a JPEG, PNG, WebP or GIF image",
    ),
    "png with html appended": (
        "photo.png",
        make_image_bytes("PNG", (40, 30)) + b"<script>alert(1)</script>",
        "extra data after the end of the picture",
    ),
    "decompression bomb": ("huge.png", 20_000, "too many pixels"),
    "over the 40 megapixel cap": ("big.png", 7_000, "too many pixels"),
    "over 10 MB": ("big.jpg", b"\xff\xd8" + bytes(10 * 1024 * 1024), "the limit is 10 MB"),
    "zero bytes": ("empty.jpg", b"", "The file is empty"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_a_bad_hero_upload_is_refused_with_a_reason_and_nothing_changes(editors_client, case):
    name, data, reason = BAD_UPLOADS[case]
    if isinstance(data, int):
        data = decompression_bomb(data)
    post = make_post(title="Original title")
    url = reverse("admin:news_post_change", args=[post.pk])
    response = editors_client.post(
        url,
        admin_post_data(
            post, title="Changed title", hero_image=make_upload(name, data), hero_alt="A picture"
        ),
    )
    assert response.status_code == 200  # the form again, not a redirect
    assert reason in response.content.decode()
    post.refresh_from_db()
    assert post.title == "Original title"
    assert not post.hero_image
    assert post.hero_renditions == {}


def test_a_contact_photo_and_a_report_cover_use_the_same_check(editors_client):
    from contacts.models import Contact

    contact = make_contact()
    svg = make_upload("me.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    response = editors_client.post(
        reverse("admin:contacts_contact_change", args=[contact.pk]),
        {"name": contact.name, "slug": contact.slug, "email": contact.email, "photo": svg},
    )
    assert "SVG images are not accepted" in response.content.decode()
    assert not Contact.objects.get(pk=contact.pk).photo

    report = make_report()
    response = editors_client.post(
        reverse("admin:reports_report_change", args=[report.pk]),
        {
            "title": report.title,
            "slug": report.slug,
            "summary": report.summary,
            "status": report.status,
            "publish_at_0": "01/01/2024",
            "publish_at_1": "09:00:00",
            "cover_image": make_upload("cover.jpg", b"<html>not an image</html>"),
            "cover_alt": "The cover",
        },
    )
    assert "not a JPEG, PNG, WebP or GIF image" in response.content.decode()


def test_a_hero_image_needs_alt_text_unless_decorative(editors_client):
    url = reverse("admin:news_post_add")
    response = editors_client.post(url, admin_post_data(hero_image=make_upload()))
    assert "Describe the image" in response.content.decode()
    assert not Post.objects.exists()

    editors_client.post(url, admin_post_data(hero_image=make_upload(), hero_decorative="on"))
    post = Post.objects.get()
    assert post.hero_image
    page = editors_client.get(post.get_absolute_url()).content.decode()
    assert 'alt=""' in page


def test_gps_and_camera_data_are_stripped_from_the_stored_photo(editors_client):
    upload = make_upload("phone.jpg", make_image_bytes("JPEG", (2000, 1500), gps=True))
    assert Image.open(io.BytesIO(upload.read())).getexif()  # the upload really carries EXIF
    upload.seek(0)
    editors_client.post(
        reverse("admin:news_post_add"), admin_post_data(hero_image=upload, hero_alt="A lab")
    )
    post = Post.objects.get()
    with post.hero_image.open("rb") as stored:
        exif = Image.open(stored).getexif()
    assert 0x8825 not in exif and 0x010F not in exif and 0x0110 not in exif
    for source in post.hero_renditions["sources"]:
        with post.hero_image.storage.open(source["fallback"], "rb") as rendition:
            assert not Image.open(rendition).getexif()


def test_renditions_are_made_once_on_save_in_webp_and_the_original_format(editors_client):
    upload = make_upload("wide.jpg", make_image_bytes("JPEG", (2400, 1200)))
    editors_client.post(
        reverse("admin:news_post_add"), admin_post_data(hero_image=upload, hero_alt="A lab")
    )
    post = Post.objects.get()
    sources = post.hero_renditions["sources"]
    assert [(s["w"], s["h"]) for s in sources] == [(480, 240), (960, 480), (1600, 800)]
    storage = post.hero_image.storage
    for source in sources:
        with storage.open(source["webp"], "rb") as webp, storage.open(source["fallback"]) as jpg:
            assert Image.open(webp).format == "WEBP"
            assert Image.open(jpg).format == "JPEG"
            assert Image.open(jpg).width == source["w"]


@pytest.mark.parametrize(
    ("fmt", "fallback"), [("PNG", "PNG"), ("WEBP", "JPEG"), ("GIF", "PNG"), ("JPEG", "JPEG")]
)
def test_each_accepted_format_is_stored_with_a_fitting_fallback(editors_client, fmt, fallback):
    upload = make_upload(f"pic.{fmt.lower()}", make_image_bytes(fmt, (700, 400)))
    response = editors_client.post(
        reverse("admin:news_post_add"), admin_post_data(hero_image=upload, hero_alt="A lab")
    )
    assert response.status_code == 302
    post = Post.objects.get()
    sources = post.hero_renditions["sources"]
    assert [s["w"] for s in sources] == [480, 700]  # never upscaled
    with post.hero_image.storage.open(sources[0]["fallback"], "rb") as handle:
        assert Image.open(handle).format == fallback


def test_the_article_uses_a_responsive_picture_without_lazy_loading_above_the_fold(
    editors_client,
):
    upload = make_upload("wide.jpg", make_image_bytes("JPEG", (2000, 1000)))
    editors_client.post(
        reverse("admin:news_post_add"),
        admin_post_data(hero_image=upload, hero_alt="Vials on a line", status="published"),
    )
    page = editors_client.get(Post.objects.get().get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="' in page
    assert "-480.webp 480w" in page and "-1600.jpg 1600w" in page
    assert 'sizes="(min-width: 48rem) 46rem, 100vw"' in page
    assert 'alt="Vials on a line" width="1600" height="800"' in page
    hero = page.split('class="article__hero"')[1].split("</figure>")[0]
    assert 'loading="lazy"' not in hero


def test_a_report_cover_below_the_fold_loads_lazily(editors_client):
    report = make_report(cover_alt="The cover")
    report.cover_image.save("cover.png", io.BytesIO(make_image_bytes("PNG", (600, 800))))
    from publishing.services import image_renditions_make

    image_renditions_make(
        instance=report, image_field="cover_image", renditions_field="cover_renditions"
    )
    page = editors_client.get(report.get_absolute_url()).content.decode()
    assert 'alt="The cover" width="600" height="800" loading="lazy"' in page
