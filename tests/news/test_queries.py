"""Query budgets: public pages run the same number of queries however many items they show."""

import pytest

from tests.factories import make_contact, make_post, make_report, make_topic

pytestmark = pytest.mark.django_db


def _posts(count):
    topics = [make_topic(), make_topic()]
    contact = make_contact()
    report = make_report()
    return [make_post(topics=topics, contacts=[contact], report=report) for _ in range(count)]


@pytest.mark.parametrize("count", [1, 10])
def test_the_news_list_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    _posts(count)
    # count, page and their topics, plus the years and topics the filter form offers.
    with django_assert_max_num_queries(5):
        assert client.get("/news/").status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_the_home_page_has_a_fixed_query_budget(client, django_assert_max_num_queries, count):
    _posts(count)
    # Featured and latest posts, both lists' topics in one query, the latest reports, the
    # next events, three funding opportunities closing soonest, and the topics (listed, and
    # offered by the sign-up form without a query of its own).
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200


def test_the_article_page_has_a_fixed_query_budget(client, django_assert_max_num_queries):
    post = _posts(1)[0]
    post.topics.add(*[make_topic() for _ in range(5)])
    post.contacts.add(*[make_contact() for _ in range(3)])
    # The post with its report; its topics with every topic the sign-up form offers; its
    # contacts; the related posts (issue 15).
    with django_assert_max_num_queries(4):
        assert client.get(post.get_absolute_url()).status_code == 200
