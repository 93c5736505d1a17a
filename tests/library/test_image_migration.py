"""The move into the image library, run on a database holding today's three kinds of picture."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import make_image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("publishing", "0001_initial"),
    ("news", "0008_post_change"),
    ("contacts", "0006_outbox"),
    ("reports", "0007_report_accessible_format_contact"),
    ("ktnsite", "0003_editors_site_pages_and_change_notes"),
    ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
]

RENDITIONS = {
    "width": 1600,
    "height": 900,
    "fallback_type": "image/jpeg",
    "sources": [
        {"w": 480, "h": 270, "webp": "renditions/news/2021/lab-480.webp",
         "fallback": "renditions/news/2021/lab-480.jpg", "fallback_bytes": 1234},
    ],
}  # fmt: skip


def _stored(name, size):
    return default_storage.save(name, ContentFile(make_image_bytes("JPEG", size)))


@pytest.fixture
def old_apps():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_every_picture_moves_with_its_alt_text_decorative_flag_and_renditions(old_apps):
    OldPost = old_apps.get_model("news", "Post")
    OldContact = old_apps.get_model("contacts", "Contact")
    OldReport = old_apps.get_model("reports", "Report")
    now = timezone.now()
    hero = _stored("news/2021/lab.jpg", (1600, 900))
    with_hero = OldPost.objects.create(
        title="Impact report", slug="impact", standfirst="s", publish_at=now,
        hero_image=hero, hero_alt="Vials on a line", hero_renditions=RENDITIONS,
    )  # fmt: skip
    decorative = OldPost.objects.create(
        title="Pattern", slug="pattern", standfirst="s", publish_at=now,
        hero_image=_stored("news/2021/pattern.png", (300, 200)), hero_decorative=True,
    )  # fmt: skip
    plain = OldPost.objects.create(title="No picture", slug="plain", standfirst="s", publish_at=now)
    karen = OldContact.objects.create(
        name="Karen", slug="karen", email="k@example.org",
        photo=_stored("contacts/karen.jpg", (400, 500)), photo_alt="Karen, smiling",
    )  # fmt: skip
    report = OldReport.objects.create(
        title="The report", slug="report", summary="s", publish_at=now, file="reports/2021/r.pdf",
        cover_image=_stored("reports/covers/2021/c.jpg", (600, 800)), cover_alt="The cover",
    )  # fmt: skip
    # A saved version of the post from before the move, as django-reversion stored it.
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    Revision = old_apps.get_model("reversion", "Revision")
    Version = old_apps.get_model("reversion", "Version")
    fields = {"title": "Impact report (first draft)", "hero_image": hero, "hero_alt": "Old words",
              "hero_decorative": False, "hero_renditions": {}}  # fmt: skip
    Version.objects.create(
        revision=Revision.objects.create(date_created=now, comment=""),
        object_id=str(with_hero.pk),
        content_type=ContentType.objects.get_or_create(app_label="news", model="post")[0],
        db="default",
        format="json",
        serialized_data=json.dumps([{"model": "news.post", "pk": with_hero.pk, "fields": fields}]),
        object_repr="Impact report",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from contacts.models import Contact
    from library.models import Image
    from news.models import Post
    from reports.models import Report

    post = Post.objects.get(pk=with_hero.pk)
    assert post.hero_image.file.name == hero
    assert (post.hero_image.alt, post.hero_image.decorative) == ("Vials on a line", False)
    assert post.hero_image.sources == RENDITIONS["sources"]  # pages show the same renditions
    assert (post.hero_image.width, post.hero_image.height) == (1600, 900)
    assert post.hero_image.title == "Impact report"
    assert [t.name for t in post.hero_image.tags.all()] == ["hero"]
    pattern = Post.objects.get(pk=decorative.pk).hero_image
    assert pattern.decorative and pattern.alt_text == ""
    assert (pattern.width, pattern.height) == (300, 200)  # read from the file: no renditions
    assert Post.objects.get(pk=plain.pk).hero_image is None
    photo = Contact.objects.get(pk=karen.pk).photo
    assert (photo.alt, photo.title, photo.file.name) == (
        "Karen, smiling",
        "Karen",
        karen.photo.name,
    )
    cover = Report.objects.get(pk=report.pk).cover_image
    assert (cover.alt, cover.width, cover.height) == ("The cover", 600, 800)
    assert Image.objects.count() == 4  # the version's file was the same picture: not twice

    # The old version still loads, with its picture, under the new field.
    from reversion.models import Version as CurrentVersion

    old = CurrentVersion.objects.get_for_object(post).get()
    assert old._object_version.object.hero_image_id == post.hero_image.pk
    assert "hero_alt" not in old.field_dict
