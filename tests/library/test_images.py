"""The image library: uploads refused by content with a reason, cleaned at once, renditions
made in the background on every path, pictures chosen by id for heroes, photos and covers."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage

from library.images import share_crop_box
from library.models import Image
from library.services import image_create, image_renditions_make, image_replace
from library.widgets import ImageChooserWidget
from news.models import Post
from publishing.editing import edit_token
from tests.factories import (
    add_hero_image,
    admin_post_data,
    make_contact,
    make_image,
    make_image_bytes,
    make_post,
    make_report,
    make_staff,
    make_upload,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:library_image_add")
# What the chooser's "Upload a new image" opens: the same form, in Django's popup.
CHOOSER_UPLOAD = ADD + "?_to_field=id&_popup=1"


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


def _bad_bytes(case):
    name, data, reason = BAD_UPLOADS[case]
    if isinstance(data, int):
        data = decompression_bomb(data)
    return name, data, reason


@pytest.mark.parametrize("url", [ADD, CHOOSER_UPLOAD], ids=["library", "chooser upload"])
@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_a_bad_upload_is_refused_with_a_reason_and_nothing_is_stored(
    editors_client, media_root, case, url
):
    name, data, reason = _bad_bytes(case)
    response = editors_client.post(
        url, {"file": make_upload(name, data), "alt": "A picture", "title": "Bad"}
    )
    assert response.status_code == 200  # the form again, not a redirect
    assert reason in response.content.decode()
    assert not Image.objects.exists()
    assert not any(path.is_file() for path in media_root.rglob("*"))


@pytest.mark.parametrize("case", ["svg", "png with html appended", "zero bytes"])
def test_the_service_refuses_what_the_admin_refuses(case):
    name, data, reason = _bad_bytes(case)
    with pytest.raises(ValidationError, match=reason):
        image_create(file=ContentFile(data, name=name), alt="A picture")
    assert not Image.objects.exists()


def test_alt_text_is_required_unless_the_image_is_decorative(editors_client):
    response = editors_client.post(ADD, {"file": make_upload(), "title": "Vials"})
    assert "Describe the image" in response.content.decode()
    assert not Image.objects.exists()

    response = editors_client.post(ADD, {"file": make_upload(), "decorative": "on"})
    assert response.status_code == 302
    assert Image.objects.get().alt_text == ""
    with pytest.raises(ValidationError, match="Describe the image"):
        image_create(file=ContentFile(make_image_bytes(), name="x.jpg"), alt="  ")


def test_the_chooser_upload_hands_the_new_image_back_to_the_form(editors_client):
    response = editors_client.post(
        CHOOSER_UPLOAD, {"file": make_upload(), "alt": "A lab bench", "_popup": "1"}
    )
    image = Image.objects.get()
    # Django's popup response, which puts the new id into the field that opened it.
    assert response.status_code == 200
    assert f"&quot;value&quot;: &quot;{image.pk}&quot;" in response.content.decode()
    assert image.alt == "A lab bench" and image.width == 1200 and image.height == 800


def test_gps_and_camera_data_are_gone_before_the_file_is_linked(
    editors_client, django_capture_on_commit_callbacks
):
    upload = make_upload("phone.jpg", make_image_bytes("JPEG", (2000, 1500), gps=True))
    assert PILImage.open(io.BytesIO(upload.read())).getexif()  # the upload really carries EXIF
    upload.seek(0)
    with django_capture_on_commit_callbacks(execute=True):  # the worker's task, at once
        editors_client.post(ADD, {"file": upload, "alt": "A lab"})
    image = Image.objects.get()
    assert image.is_ready  # the file pages link from now on
    with image.file.open("rb") as stored:
        exif = PILImage.open(stored).getexif()
    assert 0x8825 not in exif and 0x010F not in exif and 0x0110 not in exif


def test_a_photo_taken_sideways_is_stored_the_right_way_up():
    exif = PILImage.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view", as a phone held upright writes it
    out = io.BytesIO()
    PILImage.new("RGB", (300, 200), (10, 120, 200)).save(out, "JPEG", exif=exif)
    image = image_create(file=ContentFile(out.getvalue(), name="upright.jpg"), alt="A tower")
    assert (image.width, image.height) == (200, 300)
    with image.file.open("rb") as stored:
        picture = PILImage.open(stored)
        assert picture.size == (200, 300) and picture.getexif().get(0x0112, 1) == 1


def test_the_admin_queues_renditions_and_the_task_makes_them_after_commit(
    editors_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        editors_client.post(
            ADD,
            {"file": make_upload("wide.jpg", make_image_bytes(size=(2400, 1200))), "alt": "A lab"},
        )
    image = Image.objects.get()
    assert image.sources == []  # the response did not wait for them
    for callback in queued:
        callback()
    image.refresh_from_db()
    assert [(s["w"], s["h"]) for s in image.sources] == [(480, 240), (960, 480), (1600, 800)]
    for source in image.sources:
        with (
            image.storage.open(source["webp"]) as webp,
            image.storage.open(source["fallback"]) as jpg,
        ):
            assert PILImage.open(webp).format == "WEBP"
            assert PILImage.open(jpg).format == "JPEG" and PILImage.open(jpg).width == source["w"]
            assert not PILImage.open(jpg).getexif()


def test_renditions_are_made_for_an_image_created_through_the_service_outside_the_admin(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        image = image_create(
            file=ContentFile(make_image_bytes("PNG", (700, 400)), name="chart.png"),
            alt="A bar chart",
            tags=["charts", "net zero"],
        )
    image.refresh_from_db()
    assert [s["w"] for s in image.sources] == [480, 700]  # never upscaled
    assert image.current_renditions["fallback_type"] == "image/png"
    assert image.current_renditions["share"]["w"] == 700  # a small picture is not blown up
    assert sorted(t.name for t in image.tags.all()) == ["charts", "net zero"]
    assert image.title == "chart"


@pytest.mark.parametrize(
    ("fmt", "fallback"), [("PNG", "PNG"), ("WEBP", "JPEG"), ("GIF", "PNG"), ("JPEG", "JPEG")]
)
def test_each_accepted_format_is_kept_with_a_fitting_fallback(fmt, fallback):
    image = make_image(
        data=make_image_bytes(fmt, (700, 400)), name=f"p.{fmt.lower()}", renditions=True
    )
    assert image.file.name.endswith("." + {"JPEG": "jpg"}.get(fmt, fmt.lower()))
    with image.storage.open(image.sources[0]["fallback"], "rb") as handle:
        assert PILImage.open(handle).format == fallback


def test_until_renditions_exist_the_page_shows_the_original_with_its_size(client):
    post = add_hero_image(make_post(), alt="Vials on a line", size=(2000, 1000))
    page = client.get(post.get_absolute_url()).content.decode()
    hero = page.split('class="article__hero"')[1].split("</figure>")[0]
    assert f'src="{post.hero_image.file.url}"' in hero
    assert 'alt="Vials on a line" width="2000" height="1000"' in hero
    assert "srcset" not in hero


def test_the_article_uses_a_responsive_picture_without_lazy_loading_above_the_fold(client):
    post = add_hero_image(make_post(), alt="Vials on a line", size=(2000, 1000), renditions=True)
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="' in page
    assert "-480.webp 480w" in page and "-1600.jpg 1600w" in page
    assert 'sizes="(min-width: 48rem) 46rem, 100vw"' in page
    assert 'alt="Vials on a line" width="1600" height="800"' in page
    hero = page.split('class="article__hero"')[1].split("</figure>")[0]
    assert 'loading="lazy"' not in hero


def test_caption_and_credit_are_shown_under_the_hero(client):
    post = make_post()
    post.hero_image = make_image(caption="The new line at Daresbury", credit="Photo: Jo Bloggs")
    post.save()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "The new line at Daresbury" in page and "Photo: Jo Bloggs" in page


def test_a_report_cover_below_the_fold_loads_lazily(client):
    cover = make_image(alt="The cover", data=make_image_bytes("PNG", (600, 800)), renditions=True)
    report = make_report(cover_image=cover)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'alt="The cover" width="600" height="800" loading="lazy"' in page


def test_a_contact_photo_comes_from_the_library(client):
    contact = make_contact(photo=make_image(alt="Karen, smiling", renditions=True))
    page = client.get(contact.get_absolute_url()).content.decode()
    assert 'alt="Karen, smiling"' in page and "-320.webp" in page


def test_the_share_card_is_1200_by_630_and_keeps_the_focal_point_in_view():
    # A wide picture, grey but for a red block right of the centre.
    picture = PILImage.new("RGB", (6000, 1500), (128, 128, 128))
    picture.paste((220, 20, 20), (3400, 600, 3800, 900))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=95)
    image = image_create(
        file=ContentFile(out.getvalue(), name="wide.jpg"), alt="Wide", focal_point=(60, 50)
    )
    image_renditions_make(image_id=image.pk)
    image.refresh_from_db()
    share = image.current_renditions["share"]
    assert (share["w"], share["h"]) == (1200, 630)
    with image.storage.open(share["path"]) as handle:
        card = PILImage.open(handle).convert("RGB")
        assert card.size == (1200, 630)
        red = card.getpixel((share["w"] // 2, share["h"] // 2))
    assert red[0] > 180 and red[1] < 80  # the focal point is in the middle of the card
    # Without a focal point, the centre of the picture, which is grey.
    assert share_crop_box(6000, 1500) == (1572, 0, 4429, 1500)
    assert share_crop_box(6000, 1500, (0.99, 0.5)) == (3143, 0, 6000, 1500)  # kept inside


def test_changing_the_focal_point_remakes_the_share_card(
    editors_client, django_capture_on_commit_callbacks
):
    image = make_image(size=(2000, 600), renditions=True)
    before = image.current_renditions["share"]["path"]
    data = {"title": image.title, "alt": image.alt, "focal_x": "90", "focal_y": "50"}
    with django_capture_on_commit_callbacks(execute=True):
        response = editors_client.post(reverse("admin:library_image_change", args=[image.pk]), data)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.current_renditions["focal"] == [0.9, 0.5]
    assert image.current_renditions["share"]["path"] != before


def test_replacing_the_file_changes_it_everywhere_and_stale_renditions_are_not_shown(
    client, django_capture_on_commit_callbacks
):
    post = add_hero_image(make_post(), renditions=True)
    image = post.hero_image
    old_sources = image.sources
    with django_capture_on_commit_callbacks(execute=False) as queued:
        image_replace(image=image, file=make_upload("new.png", make_image_bytes("PNG", (900, 500))))
    page = client.get(post.get_absolute_url()).content.decode()
    assert old_sources[0]["webp"] not in page  # the old picture's renditions are gone from it
    assert f'src="{image.file.url}"' in page and 'width="900" height="500"' in page
    for callback in queued:
        callback()
    page = client.get(post.get_absolute_url()).content.decode()
    assert image.file.name.rsplit(".", 1)[0].split("/")[-1] + "-480.webp" in page


def test_a_task_for_a_file_since_replaced_does_nothing():
    image = make_image()
    old_name = image.file.name
    image_replace(image=image, file=make_upload("new.jpg"))
    assert image_renditions_make(image_id=image.pk, name=old_name) is None
    image.refresh_from_db()
    assert image.renditions == {}


def test_a_chosen_image_is_kept_when_the_form_has_an_error(editors_client):
    image = make_image(alt="Hydrogen tanks")
    response = editors_client.post(
        reverse("admin:news_post_add"), admin_post_data(title="", hero_image=image.pk)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page
    chooser = page.split('class="image-chooser"')[1].split("</div>")[0]
    assert f'value="{image.pk}"' in chooser
    assert f'src="{image.thumbnail_url()}"' in chooser and "Hydrogen tanks" in chooser
    assert not Post.objects.exists()


def test_the_post_contact_and_report_forms_take_a_library_image(editors_client):
    image = make_image()
    editors_client.post(
        reverse("admin:news_post_add"), admin_post_data(hero_image=image.pk, status="draft")
    )
    assert Post.objects.get().hero_image == image
    contact = make_contact()
    response = editors_client.post(
        reverse("admin:contacts_contact_change", args=[contact.pk]),
        {
            "name": contact.name,
            "slug": contact.slug,
            "email": contact.email,
            "photo": image.pk,
            "is_active": "on",
            "edit_base": edit_token(contact),  # as the form opened now sends it
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.photo == image
    response = editors_client.post(
        reverse("admin:news_post_add"), admin_post_data(slug="other", hero_image=999999)
    )
    assert "Select a valid choice" in response.content.decode()
    # The report's cover: the same chooser, showing the chosen picture.
    report = make_report(cover_image=image)
    page = editors_client.get(reverse("admin:reports_report_change", args=[report.pk]))
    chooser = page.content.decode().split('class="image-chooser"')[1].split("</div>")[0]
    assert 'name="cover_image"' in chooser and f'value="{image.pk}"' in chooser
    assert "Choose from the library" in chooser and "Upload a new image" in chooser


def test_the_image_page_lists_where_it_is_used_and_deleting_it_is_refused(editors_client):
    image = make_image(title="Tanks")
    post = add_hero_image(make_post(title="Hydrogen valleys"))
    post.hero_image = image
    post.save()
    make_contact(name="Karen Wilkinson", photo=image)
    make_report(title="Impact report", cover_image=image)
    make_post(title="In the text", body=f'<p>Look:</p><p><img data-image="{image.pk}" alt="x"></p>')

    page = editors_client.get(reverse("admin:library_image_change", args=[image.pk]))
    page = page.content.decode()
    for text in ["Hydrogen valleys", "Karen Wilkinson", "Impact report", "In the text"]:
        assert text in page.split("Used in:")[1]

    delete = reverse("admin:library_image_delete", args=[image.pk])
    page = editors_client.get(delete).content.decode()
    assert "Hydrogen valleys" in page and "Karen Wilkinson" in page and "In the text" in page
    editors_client.post(delete, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_unused_image_can_be_deleted(editors_client):
    image = make_image()
    post = make_post(body=f'<p><img data-image="{image.pk}" alt="x"></p>')
    post.body = "<p>No picture now.</p>"
    post.save()  # the text no longer uses it, so it no longer holds it
    response = editors_client.post(
        reverse("admin:library_image_delete", args=[image.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Image.objects.exists()


def test_the_library_list_shows_thumbnails_and_finds_by_title_alt_and_tag(editors_client):
    make_image(title="Vials", alt="Blue vials", tags=["lab"], size=(1000, 600), renditions=True)
    make_image(title="Turbine", alt="A wind turbine", tags=["energy"])
    url = reverse("admin:library_image_changelist")
    page = editors_client.get(url).content.decode()
    assert page.count('class="image-thumb"') == 2
    assert "-480.jpg" in page  # the smallest rendition, not the original, once made
    assert "Turbine" in editors_client.get(url, {"q": "wind"}).content.decode()
    assert "Vials" not in editors_client.get(url, {"q": "wind"}).content.decode()
    assert "Vials" in editors_client.get(url, {"q": "lab"}).content.decode()
    by_tag = editors_client.get(url, {"tags__id__exact": make_image(tags=["lab"]).tags.get().pk})
    assert "Turbine" not in by_tag.content.decode()


def test_the_chooser_info_answers_editors_only(client, editors_client):
    image = make_image(alt="Blue vials")
    url = reverse("admin:library_image_info", args=[image.pk])
    info = editors_client.get(url).json()
    assert info["alt"] == "Blue vials" and info["thumbnail"] == image.file.url
    assert editors_client.get(reverse("admin:library_image_info", args=[99999])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_replacing_a_file_empties_the_page_cache_so_every_page_shows_the_new_one(client, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 600  # the page cache as in production
    settings.PAGE_CACHE_BROWSER_SECONDS = 60
    post = add_hero_image(make_post())
    url = post.get_absolute_url()
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    image_replace(image=post.hero_image, file=make_upload("new.png", make_image_bytes("PNG")))
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert post.hero_image.file.url in page.content.decode()


def test_the_command_makes_the_renditions_a_lost_task_left_missing():
    image = make_image()  # in a test, the task queued after commit never runs
    assert image.sources == []
    out = io.StringIO()
    from django.core.management import call_command

    call_command("image_renditions", stdout=out)
    image.refresh_from_db()
    assert image.sources and image.current_renditions["share"]
    assert "Made renditions for 1 image(s)." in out.getvalue()


def test_the_library_forms_keep_the_standard_save_buttons(editors_client):
    # Publishable items' forms have their own buttons (admin/publishable_submit_line.html),
    # named so that Django does not pick them for every model of the publishing app.
    image = make_image()
    urls = [ADD, CHOOSER_UPLOAD, reverse("admin:library_image_change", args=[image.pk])]
    for url in [*urls, reverse("admin:library_tag_add")]:
        page = editors_client.get(url).content.decode()
        assert 'name="_save"' in page and "publishing-actions" not in page


@pytest.mark.django_db(transaction=True)
def test_with_production_s_queue_the_upload_only_queues_and_the_worker_makes_renditions(
    admin_client, settings
):
    # A superuser: an earlier test that commits for real may have emptied the roles table.
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = admin_client.post(ADD, {"file": make_upload(), "alt": "A lab bench"})

    assert response.status_code == 302
    image = Image.objects.get()
    assert image.sources == []  # the response came back before any rendition was made
    queued = DBTaskResult.objects.get()
    # One task strips the upload and then cuts its renditions (test_image_processing.py).
    assert queued.task_path == "library.tasks.process_image_upload"
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )  # fmt: skip
    image.refresh_from_db()
    assert [s["w"] for s in image.sources] == [480, 960, 1200]


def test_deleting_used_images_from_the_list_is_refused_with_their_uses(editors_client):
    used = make_image(title="Tanks")
    make_post(title="In the text", body=f'<p><img data-image="{used.pk}" alt="x"></p>')
    unused = make_image(title="Spare")
    changelist = reverse("admin:library_image_changelist")
    selected = {"action": "delete_selected", "_selected_action": [used.pk, unused.pk]}

    page = editors_client.post(changelist, selected).content.decode()
    assert "In the text" in page
    editors_client.post(changelist, {**selected, "post": "yes"})
    assert set(Image.objects.values_list("title", flat=True)) == {"Tanks", "Spare"}
    only_unused = {"action": "delete_selected", "_selected_action": [unused.pk], "post": "yes"}
    editors_client.post(changelist, only_unused)
    assert list(Image.objects.values_list("title", flat=True)) == ["Tanks"]


def test_the_library_filters_by_the_topic_of_the_items_using_an_image(editors_client):
    from tests.factories import make_topic

    net_zero, pharma = make_topic(slug="net-zero"), make_topic(slug="pharma", name="Pharma")
    make_post(topics=[net_zero], slug="wind", hero_image=make_image(title="Turbine"))
    in_text = make_image(title="Blade")
    make_post(topics=[net_zero], slug="blades", body=f'<p><img data-image="{in_text.pk}"></p>')
    make_contact(topics=[net_zero], photo=make_image(title="Karen"))
    make_report(topics=[net_zero], cover_image=make_image(title="Cover"))
    make_post(topics=[pharma], slug="vials", hero_image=make_image(title="Vials"))
    make_image(title="Unused")

    url = reverse("admin:library_image_changelist")
    listed = editors_client.get(url, {"topic": net_zero.pk}).context["cl"].result_list
    assert sorted(image.title for image in listed) == ["Blade", "Cover", "Karen", "Turbine"]
    listed = editors_client.get(url, {"topic": pharma.pk}).context["cl"].result_list
    assert [image.title for image in listed] == ["Vials"]
    page = editors_client.get(url).content.decode()
    assert "By topic" in page and "Pharma" in page  # offered beside the tag filter


def test_an_image_chosen_only_in_unpublished_changes_is_listed_and_kept_from_deletion(
    editors_client,
):
    from publishing.services import working_copy_apply, working_copy_store

    post = make_post(title="Live post")
    hero, inline = make_image(title="New hero"), make_image(title="New picture")
    post.hero_image = hero
    post.body = f'<p>Now with a picture.</p><p><img data-image="{inline.pk}" alt="x"></p>'
    working_copy_store(item=post, user=None)  # readers still see the post without them
    post.refresh_from_db()
    assert post.hero_image is None

    for image, use in [(hero, "Hero image of post"), (inline, "Text of post")]:
        page = editors_client.get(reverse("admin:library_image_change", args=[image.pk]))
        assert f"{use} (unpublished changes): " in page.content.decode().split("Used in:")[1]
        delete = reverse("admin:library_image_delete", args=[image.pk])
        assert "Live post" in editors_client.get(delete).content.decode()
        editors_client.post(delete, {"post": "yes"})
        assert Image.objects.filter(pk=image.pk).exists()
    changelist = reverse("admin:library_image_changelist")
    selected = {"action": "delete_selected", "_selected_action": [hero.pk], "post": "yes"}
    editors_client.post(changelist, selected)
    assert Image.objects.filter(pk=hero.pk).exists()

    working_copy_apply(item=post)  # publishing the changes finds both pictures still there
    post.refresh_from_db()
    assert post.hero_image == hero and list(inline.body_uses.all())


def test_the_chooser_offers_the_newest_images_as_buttons_named_by_them(editors_client, monkeypatch):
    for n in range(8):
        make_image(title=f"Picture {n}", alt=f"Alt {n}")
    make_image(title="Flourish", decorative=True, alt="")
    url = reverse("admin:news_post_add")
    editors_client.get(url)  # warm what is cached once per process (content types, sessions)
    with CaptureQueriesContext(connection) as counted:
        page = editors_client.get(url).content.decode()
    with_strip = len(counted.captured_queries)
    strip = page.split('class="image-chooser__recent"')[1].split("</div>")[0]
    # The six newest, newest first, each a button named by its title and alt text, as the
    # chooser names a chosen image; a decorative one says so.
    names = [part.split('alt="')[1].split('"')[0] for part in strip.split("<button")[1:]]
    assert names == [
        "Flourish (decorative)",
        *[f"Picture {n}: “Alt {n}”" for n in (7, 6, 5, 4, 3)],
    ]
    assert strip.count('type="button"') == 6
    picture = Image.objects.get(title="Picture 7")
    assert f'value="{picture.pk}"' in strip and f'src="{picture.thumbnail_url()}"' in strip
    # The strip is one query, however many images the library holds.
    monkeypatch.setattr(ImageChooserWidget, "recent_count", 0)
    with CaptureQueriesContext(connection) as counted:
        editors_client.get(url)
    assert len(counted.captured_queries) == with_strip - 1
    monkeypatch.undo()
    Image.objects.exclude(title="Picture 0").delete()
    with CaptureQueriesContext(connection) as counted:
        page = editors_client.get(url).content.decode()
    assert len(counted.captured_queries) == with_strip
    assert page.count('class="image-chooser__pick"') == 1
    Image.objects.all().delete()
    page = editors_client.get(url).content.decode()
    assert "image-chooser__recent" not in page  # an empty library: no strip


def test_the_post_forms_stay_within_their_query_budget_with_the_recent_images(
    editors_client, django_assert_max_num_queries
):
    for n in range(50):
        make_image(title=f"Picture {n}")
    post = add_hero_image(make_post(title="Offshore wind"))
    # 9 and 29 measured (SQLite): the recent images are the one query the strip adds (the
    # change form also reads the item's readers' chart).
    with django_assert_max_num_queries(10):
        assert editors_client.get(reverse("admin:news_post_add")).status_code == 200
    with django_assert_max_num_queries(29):
        page = editors_client.get(reverse("admin:news_post_change", args=[post.pk]))
    assert page.content.decode().count('class="image-chooser__pick"') == 6
