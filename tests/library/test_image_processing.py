"""An editor's upload is only checked in the request and stored where no page links it; the
task worker strips it and cuts its renditions (issue 22, item 10). Editors see "processing"
or why it failed; readers never get the file as it came."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage

from library.models import Image, ImageState
from library.services import INCOMING
from tests.factories import (
    make_image_bytes,
    make_post,
    make_staff,
    make_upload,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:library_image_add")
LIBRARY = reverse("admin:library_image_changelist")
GPS, MAKE = 0x8825, 0x010F


@pytest.fixture
def editors_client(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


def phone_photo(size=(2000, 1500)):
    return make_image_bytes("JPEG", size, gps=True)


def truncated_jpeg():
    """A JPEG cut off half way (an interrupted copy): its header is whole, its pixels are not."""
    data = make_image_bytes("JPEG", (1200, 800))
    return data[: len(data) // 2]


def run_worker():
    with open("/dev/null", "w") as quiet:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=quiet)


def media_urls(page):
    return re.findall(r'(?:src|srcset|content|href)="(/media/[^" ]+)', page)


def exif_of(media_root, url):
    with PILImage.open(media_root / url.removeprefix("/media/")) as picture:
        return picture.getexif()


@pytest.mark.django_db(transaction=True)
def test_the_upload_request_stores_the_file_as_it_came_and_the_worker_finishes_it(
    admin_client, settings, media_root
):
    # The production queue: the request only records the task; db_worker runs it.
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    data = phone_photo()
    response = admin_client.post(ADD, {"file": make_upload("phone.jpg", data), "alt": "A lab"})

    assert response.status_code == 302
    image = Image.objects.get()
    # Not re-encoded in the request: the stored bytes are the upload's, waiting for the worker.
    assert image.state == ImageState.PROCESSING
    assert image.file.name.startswith(f"{INCOMING}/")
    assert (media_root / image.file.name).read_bytes() == data
    assert (image.width, image.height) == (2000, 1500) and image.renditions == {}
    assert DBTaskResult.objects.get().task_path == "library.tasks.process_image_upload"
    page = admin_client.get(LIBRARY).content.decode()
    assert "Processing…" in page and image.file.name not in page

    run_worker()

    image.refresh_from_db()
    assert image.state == ImageState.READY and image.state_message == ""
    assert image.file.name.startswith("images/") and image.file.name.endswith(".jpg")
    assert not (media_root / INCOMING).exists() or not any((media_root / INCOMING).iterdir())
    exif = exif_of(media_root, image.file.url)
    assert GPS not in exif and MAKE not in exif
    assert [s["w"] for s in image.sources] == [480, 960, 1600]
    assert "Processing…" not in admin_client.get(LIBRARY).content.decode()


def test_a_file_damaged_past_its_header_ends_as_failed_with_a_clear_message(
    editors_client, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = editors_client.post(
            ADD, {"file": make_upload("cut.jpg", truncated_jpeg()), "alt": "A lab"}
        )
    assert response.status_code == 302  # only a decode finds it: that is the worker's job
    image = Image.objects.get()
    assert image.state == ImageState.PROCESSING

    for callback in queued:  # the test suite's queue runs the task at once
        callback()

    image.refresh_from_db()
    assert image.state == ImageState.FAILED
    assert "damaged or incomplete" in image.state_message
    assert "Upload the picture again" in image.state_message
    assert not any(path.is_file() for path in media_root.rglob("*"))  # nothing kept
    listing = editors_client.get(LIBRARY).content.decode()
    assert "Failed: This upload could not be processed" in listing
    change = editors_client.get(reverse("admin:library_image_change", args=[image.pk]))
    assert "damaged or incomplete" in change.content.decode()
    info = editors_client.get(reverse("admin:library_image_info", args=[image.pk])).json()
    assert info["state"] == "failed" and info["thumbnail"] == ""
    assert "damaged or incomplete" in info["state_note"]


def test_readers_never_get_the_upload_as_it_came_and_get_the_stripped_one_after(
    editors_client, client, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        editors_client.post(ADD, {"file": make_upload("phone.jpg", phone_photo()), "alt": "A lab"})
    image = Image.objects.get()
    raw = image.file.url
    assert GPS in exif_of(media_root, raw)  # the upload as it came really carries the position
    post = make_post(
        title="Lab opening",
        hero_image=image,
        body=f'<p><img data-image="{image.pk}" alt="The lab"></p>',
    )

    page = client.get(post.get_absolute_url()).content.decode()
    assert "Lab opening" in page
    assert media_urls(page) == []  # no picture, no share card: nothing from the upload
    assert "article__hero" not in page  # not even an empty frame where the picture goes
    assert raw not in page and INCOMING not in page
    feed = client.get("/news/feed/").content.decode()
    assert INCOMING not in feed

    for callback in queued:
        callback()

    page = client.get(post.get_absolute_url()).content.decode()
    urls = media_urls(page)
    assert urls and all(INCOMING not in url for url in urls)
    for url in urls:  # every file a reader can reach: the picture, its sources, the card
        exif = exif_of(media_root, url)
        assert GPS not in exif and MAKE not in exif, url
    assert not (media_root / raw.removeprefix("/media/")).exists()


def test_the_chooser_says_an_image_is_processing_and_shows_no_file(
    editors_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        editors_client.post(ADD, {"file": make_upload("phone.jpg", phone_photo()), "alt": "Lab"})
    image = Image.objects.get()
    post = make_post(title="With a photo", hero_image=image)

    form = editors_client.get(reverse("admin:news_post_change", args=[post.pk])).content.decode()
    assert "Processing… readers see it once it is ready." in form
    assert image.file.url not in form
    info = editors_client.get(reverse("admin:library_image_info", args=[image.pk])).json()
    assert info == {**info, "state": "processing", "state_note": "Processing…", "thumbnail": ""}
    change = editors_client.get(reverse("admin:library_image_change", args=[image.pk]))
    assert image.file.url not in change.content.decode()  # not even linked from its own form
    # Editing the alt text meanwhile keeps the upload waiting for the worker.
    data = {"title": image.title, "alt": "A new lab", "focal_x": "", "focal_y": ""}
    response = editors_client.post(reverse("admin:library_image_change", args=[image.pk]), data)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt == "A new lab" and image.state == ImageState.PROCESSING


def test_a_lost_task_is_made_up_for_by_the_renditions_command(
    editors_client, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the queue was down: never run
        editors_client.post(ADD, {"file": make_upload("phone.jpg", phone_photo()), "alt": "Lab"})
    out = io.StringIO()
    call_command("image_renditions", stdout=out)
    image = Image.objects.get()
    assert image.state == ImageState.READY and image.sources
    assert "Processed 1 upload(s)." in out.getvalue()
    assert GPS not in exif_of(media_root, image.file.url)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_the_worker_stores_exactly_what_an_upload_made_by_code_stores(
    editors_client, fmt, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from library.services import image_create

    data = make_image_bytes(fmt, (900, 600), gps=fmt == "JPEG")
    with django_capture_on_commit_callbacks(execute=True):
        editors_client.post(ADD, {"file": make_upload(f"a.{fmt.lower()}", data), "alt": "A"})
    uploaded = Image.objects.get()
    made = image_create(file=ContentFile(data, name=f"b.{fmt.lower()}"), alt="B")
    with uploaded.file.open("rb") as one, made.file.open("rb") as other:
        assert one.read() == other.read()
    assert (uploaded.width, uploaded.height) == (made.width, made.height) == (900, 600)


def test_an_edit_saved_as_the_worker_finishes_keeps_the_worker_s_file(
    editors_client, django_capture_on_commit_callbacks
):
    from library.services import image_process, image_save

    with django_capture_on_commit_callbacks(execute=False):
        editors_client.post(ADD, {"file": make_upload("phone.jpg", phone_photo()), "alt": "Lab"})
    read_by_the_editor = Image.objects.get()  # the change form's POST reads the row...
    image_process(image_id=read_by_the_editor.pk, name=read_by_the_editor.file.name)
    read_by_the_editor.alt = "The new lab"  # ...and saves it after the worker has finished
    image_save(image=read_by_the_editor)

    image = Image.objects.get()
    assert image.alt == "The new lab"
    assert image.state == ImageState.READY and image.file.name.startswith("images/")
    assert image.sources
