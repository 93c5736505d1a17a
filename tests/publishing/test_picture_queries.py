"""Pages with pictures: renditions come from the row, so images add no query and no file read."""

import pytest
from django.core.files.base import ContentFile

from publishing.services import image_renditions_make
from tests.factories import make_contact, make_image_bytes, make_post, make_report, make_topic

pytestmark = pytest.mark.django_db


def _with_image(item, image_field, renditions_field, size=(1800, 1000)):
    getattr(item, image_field).save("pic.jpg", ContentFile(make_image_bytes("JPEG", size)))
    image_renditions_make(instance=item, image_field=image_field, renditions_field=renditions_field)
    return item


def test_an_article_with_a_hero_picture_keeps_its_query_budget(
    client, django_assert_max_num_queries
):
    post = make_post(hero_alt="Vials", topics=[make_topic()], contacts=[make_contact()])
    _with_image(post, "hero_image", "hero_renditions")
    # As an article without a picture: its own four and the related posts (issue 15).
    with django_assert_max_num_queries(5):
        page = client.get(post.get_absolute_url()).content.decode()
    assert "<picture>" in page


def test_a_report_with_a_cover_keeps_its_query_budget(client, django_assert_max_num_queries):
    report = make_report(cover_alt="Cover", topics=[make_topic()])
    _with_image(report, "cover_image", "cover_renditions", size=(800, 1100))
    # The same budget as a report page without a cover (tests/reports/test_pages.py).
    with django_assert_max_num_queries(3):
        page = client.get(report.get_absolute_url()).content.decode()
    assert "<picture>" in page


def test_a_contact_with_a_photo_keeps_its_query_budget(client, django_assert_max_num_queries):
    contact = make_contact(photo_alt="Karen, smiling", topics=[make_topic()])
    _with_image(contact, "photo", "photo_renditions", size=(600, 600))
    # The same budget as a profile without a photo (tests/contacts/test_queries.py).
    with django_assert_max_num_queries(4):
        page = client.get(contact.get_absolute_url()).content.decode()
    assert 'alt="Karen, smiling" width="600" height="600"' in page


def test_rendering_never_opens_the_image_file(client, monkeypatch):
    post = make_post(hero_alt="Vials")
    _with_image(post, "hero_image", "hero_renditions")
    storage = post.hero_image.storage
    opened = []
    original_open = storage.open
    monkeypatch.setattr(storage, "open", lambda *a, **k: opened.append(a) or original_open(*a, **k))
    assert client.get(post.get_absolute_url()).status_code == 200
    assert opened == []
