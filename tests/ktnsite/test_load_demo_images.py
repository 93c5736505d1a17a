"""load_demo puts its pictures in the library; their renditions are made after it commits."""

import io

import pytest
from django.core.management import call_command

from news.models import Post

pytestmark = pytest.mark.django_db


def test_every_demo_hero_image_has_renditions_on_disk(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    posts = list(Post.objects.exclude(hero_image=None).select_related("hero_image"))
    assert posts
    for post in posts:
        image = post.hero_image
        assert image.alt and "demo" in [tag.name for tag in image.tags.all()]
        assert [s["w"] for s in image.sources] == [480, 960, 1600]
        for source in image.sources:
            assert image.storage.exists(source["webp"])
            assert image.storage.exists(source["fallback"])
        assert image.storage.exists(image.current_renditions["share"]["path"])
