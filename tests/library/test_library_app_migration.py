"""The image library's move into an app of its own, run on a database from before it."""

import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import make_image_bytes

pytestmark = pytest.mark.django_db(transaction=True)

# Where a database made before the split stands.
BEFORE = [
    ("library", None),
    ("publishing", "0004_working_copy"),
    ("news", "0010_hero_image_old_fields_removed"),
    ("reports", "0009_cover_image_old_fields_removed"),
    ("contacts", "0008_photo_old_fields_removed"),
    ("ktnsite", "0006_search_words"),
]
RENDITIONS = {
    "for": "images/2026/lab.jpg",
    "sources": [{"w": 480, "h": 270, "webp": "renditions/lab-480.webp",
                 "fallback": "renditions/lab-480.jpg", "fallback_bytes": 1234}],
}  # fmt: skip


@pytest.fixture
def old_apps():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state([node for node in BEFORE if node[1]]).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_images_tags_uses_permissions_and_mail_survive_the_library_becoming_an_app(old_apps):
    Image = old_apps.get_model("publishing", "Image")
    Tag = old_apps.get_model("publishing", "Tag")
    BodyImage = old_apps.get_model("publishing", "BodyImage")
    Post = old_apps.get_model("news", "Post")
    Contact = old_apps.get_model("contacts", "Contact")
    Enquiry = old_apps.get_model("contacts", "Enquiry")
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    Permission = old_apps.get_model("auth", "Permission")
    Group = old_apps.get_model("auth", "Group")

    name = default_storage.save("images/2026/lab.jpg", ContentFile(make_image_bytes()))
    image = Image.objects.create(
        file=name, title="Lab", alt="Vials on a line", width=1600, height=900,
        renditions={**RENDITIONS, "for": name},
    )  # fmt: skip
    image.tags.add(Tag.objects.create(name="lab"))
    post = Post.objects.create(
        title="Impact", slug="impact", standfirst="s", publish_at=timezone.now(),
        hero_image=image, body=f'<p>x</p><img data-image="{image.pk}" alt="">',
    )  # fmt: skip
    post_type = ContentType.objects.get_or_create(app_label="news", model="post")[0]
    BodyImage.objects.create(image=image, content_type=post_type, object_id=post.pk)
    # An editor's right to change images, granted on the old content type.
    image_type = ContentType.objects.get_or_create(app_label="publishing", model="image")[0]
    change_image = Permission.objects.get_or_create(
        content_type=image_type, codename="change_image", defaults={"name": "Can change image"}
    )[0]
    pictures_desk = Group.objects.create(name="Pictures desk")
    pictures_desk.permissions.add(change_image)
    # A message still owed, in an outbox table.
    karen = Contact.objects.create(name="Karen", slug="karen", email="k@example.org")
    enquiry = Enquiry.objects.create(
        contact=karen, name="Sam", email="sam@example.org", subject="Hello", message="Hi",
        consent_text="Yes", state="pending", token=uuid.uuid4(),
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.auth.models import Group as CurrentGroup
    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    from contacts.models import Enquiry as CurrentEnquiry
    from library.models import BodyImage as CurrentBodyImage
    from library.models import Image as CurrentImage
    from news.models import Post as CurrentPost

    moved = CurrentPost.objects.get(pk=post.pk).hero_image
    assert moved.pk == image.pk and isinstance(moved, CurrentImage)
    assert (moved.file.name, moved.alt, moved.title) == (name, "Vials on a line", "Lab")
    assert moved.sources == RENDITIONS["sources"]  # pages show the same renditions
    assert [tag.name for tag in moved.tags.all()] == ["lab"]
    assert list(CurrentBodyImage.objects.values_list("image_id", "object_id")) == [
        (image.pk, post.pk)
    ]
    # The same content type, relabelled: permissions, log entries and versions follow.
    CurrentContentType.objects.clear_cache()
    assert CurrentContentType.objects.get_for_model(CurrentImage).pk == image_type.pk
    desk = CurrentGroup.objects.get(pk=pictures_desk.pk)
    assert {p.content_type.app_label + "." + p.codename for p in desk.permissions.all()} == {
        "library.change_image"
    }
    editors = CurrentGroup.objects.get(name="Editors")
    rights = {(p.content_type.app_label, p.codename) for p in editors.permissions.all()}
    assert {("library", f"{action}_{model}") for action in ["add", "change", "delete", "view"]
            for model in ["image", "tag"]} <= rights  # fmt: skip
    assert not any(label == "publishing" and "image" in code for label, code in rights)
    assert CurrentEnquiry.objects.get(pk=enquiry.pk).state == "pending"
