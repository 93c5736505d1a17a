"""load_demo gives its pictures renditions, as an editor's upload would have."""

import io

import pytest
from django.core.management import call_command

from news.models import Post

pytestmark = pytest.mark.django_db


def test_every_demo_hero_image_has_renditions_on_disk():
    call_command("load_demo", stdout=io.StringIO())
    posts = list(Post.objects.exclude(hero_image=""))
    assert posts
    for post in posts:
        sources = post.hero_renditions["sources"]
        assert [s["w"] for s in sources] == [480, 960, 1600]
        for source in sources:
            assert post.hero_image.storage.exists(source["webp"])
            assert post.hero_image.storage.exists(source["fallback"])
