"""The post list in the admin: states, filters, search, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from publishing.models import Status
from tests.factories import make_post, make_staff, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors_client(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


def _rows(response):
    return response.context["cl"].result_list


def test_a_published_post_with_a_future_time_shows_as_scheduled(editors_client):
    make_post(title="Later", publish_at=timezone.now() + timedelta(days=1))
    make_post(title="Now")
    make_post(title="Draft", status=Status.DRAFT)
    page = editors_client.get(reverse("admin:news_post_changelist")).content.decode()
    assert '<td class="field-state">Scheduled</td>' in page
    assert '<td class="field-state">Published</td>' in page
    assert '<td class="field-state">Draft</td>' in page


@pytest.mark.parametrize(
    ("state", "title"), [("draft", "Draft"), ("scheduled", "Later"), ("published", "Now")]
)
def test_the_list_filters_by_state(editors_client, state, title):
    make_post(title="Later", publish_at=timezone.now() + timedelta(days=1))
    make_post(title="Now")
    make_post(title="Draft", status=Status.DRAFT)
    response = editors_client.get(reverse("admin:news_post_changelist"), {"state": state})
    assert [post.title for post in _rows(response)] == [title]


def test_the_list_filters_by_topic_and_shows_topics(editors_client):
    topic = make_topic(name="Net Zero")
    make_post(title="Tagged", topics=[topic])
    make_post(title="Other")
    response = editors_client.get(
        reverse("admin:news_post_changelist"), {"topics__id__exact": topic.pk}
    )
    assert [post.title for post in _rows(response)] == ["Tagged"]
    assert "Net Zero" in response.content.decode()


def test_the_list_searches_titles_and_text(editors_client):
    make_post(title="Hydrogen hubs")
    make_post(title="Other", body="<p>All about vertical farming.</p>")
    url = reverse("admin:news_post_changelist")
    assert [p.title for p in _rows(editors_client.get(url, {"q": "hydrogen"}))] == ["Hydrogen hubs"]
    assert [p.title for p in _rows(editors_client.get(url, {"q": "farming"}))] == ["Other"]


@pytest.mark.parametrize("count", [1, 20])
def test_the_admin_list_has_a_fixed_query_budget(
    editors_client, django_assert_max_num_queries, count
):
    topics = [make_topic(), make_topic()]
    for _ in range(count):
        make_post(topics=topics)
    with django_assert_max_num_queries(13):
        assert editors_client.get(reverse("admin:news_post_changelist")).status_code == 200


def test_the_list_shows_a_small_thumbnail_of_the_hero(editors_client):
    from tests.factories import add_hero_image

    add_hero_image(make_post(), alt="Vials", size=(1000, 500), renditions=True)
    page = editors_client.get(reverse("admin:news_post_changelist")).content.decode()
    cell = page.split('<td class="field-thumbnail">')[1].split("</td>")[0]
    assert "-480.jpg" in cell and 'class="image-thumb"' in cell
