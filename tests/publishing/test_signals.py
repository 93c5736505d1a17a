"""publishing announces items saved as published, whichever app defines them."""

import pytest

from publishing.models import Status
from publishing.signals import content_went_live
from tests.factories import make_post, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    received = []

    def listener(sender, instance, **kwargs):
        received.append((sender._meta.label, instance.slug))

    content_went_live.connect(listener)
    yield received
    content_went_live.disconnect(listener)


def test_every_publishable_saved_as_published_is_announced(heard):
    post = make_post()
    report = make_report()
    assert ("news.Post", post.slug) in heard
    assert ("reports.Report", report.slug) in heard


def test_drafts_are_not_announced(heard):
    make_post(status=Status.DRAFT)
    assert heard == []
