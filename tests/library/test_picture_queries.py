"""Pages with pictures: renditions come with the item's row (one join), so images add no query
and no file read."""

import pytest

from tests.factories import make_contact, make_image, make_post, make_report, make_topic

pytestmark = pytest.mark.django_db


def _with_image(item, image_field, alt, size=(1800, 1000)):
    setattr(item, image_field, make_image(alt=alt, size=size, renditions=True))
    item.save()
    return item


def test_an_article_with_a_hero_picture_keeps_its_query_budget(
    client, django_assert_max_num_queries
):
    post = make_post(topics=[make_topic()], contacts=[make_contact()])
    _with_image(post, "hero_image", "Vials")
    # As an article without a picture: its own four and the related posts (issue 15).
    with django_assert_max_num_queries(5):
        page = client.get(post.get_absolute_url()).content.decode()
    assert "<picture>" in page


def test_a_report_with_a_cover_keeps_its_query_budget(client, django_assert_max_num_queries):
    report = make_report(topics=[make_topic()])
    _with_image(report, "cover_image", "Cover", size=(800, 1100))
    # The same budget as a report page without a cover (tests/reports/test_pages.py).
    with django_assert_max_num_queries(3):
        page = client.get(report.get_absolute_url()).content.decode()
    assert "<picture>" in page


def test_a_contact_with_a_photo_keeps_its_query_budget(client, django_assert_max_num_queries):
    contact = make_contact(topics=[make_topic()])
    _with_image(contact, "photo", "Karen, smiling", size=(600, 600))
    # The same budget as a profile without a photo (tests/contacts/test_queries.py).
    with django_assert_max_num_queries(4):
        page = client.get(contact.get_absolute_url()).content.decode()
    assert 'alt="Karen, smiling" width="600" height="600"' in page


def test_rendering_never_opens_the_image_file(client, monkeypatch):
    post = _with_image(make_post(), "hero_image", "Vials")
    storage = post.hero_image.storage
    opened = []
    original_open = storage.open
    monkeypatch.setattr(storage, "open", lambda *a, **k: opened.append(a) or original_open(*a, **k))
    assert client.get(post.get_absolute_url()).status_code == 200
    assert opened == []
