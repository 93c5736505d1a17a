"""live(): what readers may see, at its boundaries."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from news.models import Post
from publishing.models import Status
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_a_draft_is_not_live_even_when_its_time_has_passed():
    post = make_post(status=Status.DRAFT, publish_at=timezone.now() - timedelta(days=1))
    assert post not in Post.objects.live()
    assert post in Post.objects.drafts()
    assert not post.is_live


def test_a_published_post_in_the_future_is_scheduled_not_live():
    post = make_post(publish_at=timezone.now() + timedelta(minutes=1))
    assert post not in Post.objects.live()
    assert post in Post.objects.scheduled()
    assert not post.is_live


def test_a_published_post_in_the_past_is_live():
    post = make_post(publish_at=timezone.now() - timedelta(seconds=1))
    assert post in Post.objects.live()
    assert post.is_live


def test_a_post_goes_live_at_exactly_its_publish_time():
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    post = make_post(publish_at=moment)
    with mock.patch("django.utils.timezone.now", return_value=moment - timedelta(seconds=1)):
        assert post not in Post.objects.live()
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert post in Post.objects.live()
        assert Post.objects.get(pk=post.pk).is_live
