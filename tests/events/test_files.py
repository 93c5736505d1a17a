"""Slides and recordings attached to an event after it: checked by their bytes in the admin
(a bad file is a clear message, never a 500 or a stored file), shown on the event's page with
their type and size, and served only while readers may see the event."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone

from events.models import EventFile
from ktnsite.demo.files import make_pdf
from publishing.models import Status
from tests.events.test_admin import editor  # noqa: F401 - fixture
from tests.factories import make_contact, make_event, make_ooxml, make_post, make_topic

pytestmark = pytest.mark.django_db

ADD = "/admin/events/eventfile/add/"
# The smallest MP4 header: a box of 24 bytes whose type is "ftyp".
MP4_BYTES = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 1000


def past_event(**fields):
    return make_event(start=timezone.now() - timedelta(days=2), **fields)


def attach(event, name, data, kind="slides", **fields):
    from events import files

    upload = SimpleUploadedFile(name, data)
    file_type, size = files.identify(upload)
    attached = EventFile(event=event, kind=kind, file_type=file_type, file_size=size, **fields)
    attached.file.save(name, ContentFile(data), save=False)
    attached.save()
    return attached


def upload(editor, event, name, data, kind="slides", **extra):  # noqa: F811
    return editor.post(
        ADD,
        {"event": event.pk, "kind": kind, "title": "", "position": 0,
         "file": SimpleUploadedFile(name, data), **extra},
    )  # fmt: skip


def test_an_editor_attaches_slides_and_the_page_shows_them_with_type_and_size(editor, client):  # noqa: F811
    make_event()  # so that the event's id and the file's differ
    event = past_event(title="Hydrogen webinar")
    pdf = make_pdf([["Slide one"], ["Slide two"]])
    response = upload(editor, event, "../../My Slides (final) v2!.pdf", pdf, title="The slides")
    assert response.status_code == 302
    attached = EventFile.objects.get()
    assert (attached.file_type, attached.file_size) == ("pdf", len(pdf))
    # Nothing of the upload's path or odd characters reaches storage.
    assert attached.file.name == f"events/files/{event.pk}/my-slides-final-v2.pdf"

    html = client.get(event.get_absolute_url()).content.decode()
    assert "Slides and recordings" in html
    url = reverse("events:file", kwargs={"slug": event.slug, "file_pk": attached.pk})
    assert f'href="{url}"' in html
    assert "The slides" in html
    assert f"(PDF, {filesizeformat(len(pdf))})" in html

    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="{event.slug}-the-slides.pdf"'
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == pdf


def test_powerpoint_slides_and_an_mp4_recording_are_accepted(editor, client):  # noqa: F811
    event = past_event()
    assert upload(editor, event, "deck.pptx", make_ooxml("pptx")).status_code == 302
    assert upload(editor, event, "talk.mp4", MP4_BYTES, kind="recording").status_code == 302
    html = client.get(event.get_absolute_url()).content.decode()
    assert "MS PowerPoint Presentation" in html
    assert "Recording" in html and f"MP4 video, {filesizeformat(len(MP4_BYTES))}" in html


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ\x90\x00" * 100, "This kind of file is not accepted."),
        ("slides.pdf", b"MZ\x90\x00" * 100, "The file&#x27;s content is not one of the accepted"),
        ("slides.pdf", b"", "The submitted file is empty."),
        ("talk.mp4", b"not a video at all" * 10, "its content is not an MP4 video"),
        ("slides.docx", make_pdf([["x"]]), "The file is named .docx but its content is PDF"),
    ],
)
def test_a_bad_file_is_a_clear_message_and_nothing_is_stored(editor, name, data, message):  # noqa: F811
    event = past_event()
    response = upload(editor, event, name, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert EventFile.objects.count() == 0
    assert not default_storage.exists(f"events/files/{event.pk}")


def test_a_file_over_the_limit_is_refused_with_the_sizes(editor, settings):  # noqa: F811
    settings.REPORTS_MAX_UPLOAD_BYTES = 1000
    settings.EVENTS_MAX_RECORDING_BYTES = 500
    event = past_event()
    response = upload(editor, event, "slides.pdf", make_pdf([["x" * 50]] * 5))
    assert "the largest file accepted is" in response.content.decode()
    response = upload(editor, event, "talk.mp4", MP4_BYTES, kind="recording")
    assert f"the largest video accepted is {filesizeformat(500)}" in response.content.decode()
    assert EventFile.objects.count() == 0


def test_a_draft_events_files_are_not_served_and_media_never_serves_them(client):
    event = make_event(status=Status.DRAFT, publish_at=None)
    attached = attach(event, "slides.pdf", make_pdf([["secret"]]))
    url = reverse("events:file", kwargs={"slug": event.slug, "file_pk": attached.pk})
    assert client.get(url).status_code == 404
    assert client.get(f"/media/{attached.file.name}").status_code == 404
    other = past_event()
    assert (
        client.get(
            reverse("events:file", kwargs={"slug": other.slug, "file_pk": attached.pk})
        ).status_code
        == 404
    )


def test_file_names_and_titles_are_escaped_on_the_page(client):
    event = past_event()
    attach(event, "deck.pdf", make_pdf([["x"]]), title='<script>alert("x")</script>')
    html = client.get(event.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_attaching_a_file_purges_the_event_page(settings, django_capture_on_commit_callbacks):
    from tests.caching.test_purge import Recorder

    settings.FRONT_CACHE_PURGERS = [{"BACKEND": "tests.caching.test_purge.Recorder"}]
    Recorder.calls = []
    with django_capture_on_commit_callbacks(execute=True):
        event = past_event()
    Recorder.calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        attach(event, "deck.pdf", make_pdf([["x"]]))
    assert any(f"event-{event.pk}" in keys for keys in Recorder.calls), Recorder.calls


@pytest.mark.parametrize("count", [1, 5])
def test_the_event_page_with_files_keeps_its_query_budget(
    client, django_assert_max_num_queries, count
):
    event = past_event(
        topics=[make_topic() for _ in range(3)], speakers=[make_contact() for _ in range(2)]
    )
    event.related_posts.set([make_post() for _ in range(2)])
    for n in range(count):
        attach(event, f"deck-{n}.pdf", make_pdf([["x"]]))
    # The event with its image; its files, opportunity, topics, speakers and related posts.
    with django_assert_max_num_queries(6):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_deleting_a_file_in_the_admin_removes_it_from_storage_and_the_page(
    editor,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    event = past_event()
    attached = attach(event, "deck.pdf", make_pdf([["x"]]), title="Old deck")
    name = attached.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/admin/events/eventfile/{attached.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not default_storage.exists(name)
    assert "Old deck" not in client.get(event.get_absolute_url()).content.decode()
