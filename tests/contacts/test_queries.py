"""Query budgets: the directory and profiles cost the same however many items they show."""

import pytest

from tests.factories import make_contact, make_post, make_topic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 20])
def test_the_directory_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    topics = [make_topic(), make_topic()]
    for _ in range(count):
        make_contact(topics=topics)
    with django_assert_max_num_queries(4):
        assert client.get("/contacts/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/contacts/", {"topic": topics[0].slug}).status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_a_profile_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    topics = [make_topic() for _ in range(3)]
    karen = make_contact(topics=topics)
    for _ in range(count):
        make_post(contacts=[karen], topics=topics)
    with django_assert_max_num_queries(4):
        assert client.get(karen.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_a_moved_on_profile_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    topic = make_topic()
    gone = make_contact(is_active=False, topics=[topic])
    for _ in range(count):
        make_contact(topics=[topic])
    with django_assert_max_num_queries(5):
        assert client.get(gone.get_absolute_url()).status_code == 410
