"""Related news on an opportunity's page: live posts sharing its topics, newest first, on a fixed query budget."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Post
from tests.factories import make_opportunity, make_post, make_topic

pytestmark = pytest.mark.django_db


def related_titles(client, opportunity):
    page = client.get(opportunity.get_absolute_url()).text
    if "Related news" not in page:
        return []
    section = page.split('id="posts-heading"', 1)[1].split("</section>", 1)[0]
    return [part.split("</a>", 1)[0].rsplit(">", 1)[1] for part in section.split("<li>")[1:]]


def test_the_newest_live_posts_sharing_a_topic_are_listed_once_each(client):
    net_zero, health, other = make_topic(), make_topic(), make_topic()
    opportunity = make_opportunity(topics=[net_zero, health])
    now = timezone.now()
    make_post(title="Both topics", topics=[net_zero, health], publish_at=now - timedelta(hours=1))
    make_post(title="Health only", topics=[health], publish_at=now - timedelta(hours=2))
    make_post(title="Oldest", topics=[net_zero], publish_at=now - timedelta(days=9))
    make_post(title="Fourth", topics=[net_zero], publish_at=now - timedelta(hours=5))
    make_post(title="Elsewhere", topics=[other], publish_at=now - timedelta(minutes=5))
    make_post(title="Draft", topics=[net_zero], status="draft")
    make_post(title="Scheduled", topics=[net_zero], publish_at=now + timedelta(days=1))
    make_post(
        title="Taken down", topics=[net_zero], publish_at=now - timedelta(minutes=1),
        expire_at=now - timedelta(seconds=1),
    )  # fmt: skip
    assert related_titles(client, opportunity) == ["Both topics", "Health only", "Fourth"]


def test_no_related_news_without_topics_or_posts(client):
    assert related_titles(client, make_opportunity()) == []
    assert related_titles(client, make_opportunity(topics=[make_topic()])) == []


def test_a_post_going_live_on_its_topic_shows_on_the_page(client):
    topic = make_topic()
    opportunity = make_opportunity(topics=[topic])
    assert related_titles(client, opportunity) == []
    post = make_post(title="Fresh news", topics=[topic], status="draft")
    Post.objects.filter(pk=post.pk).update(status="published")
    post.refresh_from_db()
    post.save()  # as the admin does: the save purges the pages that list news
    assert related_titles(client, opportunity) == ["Fresh news"]


def test_titles_are_escaped(client):
    topic = make_topic()
    opportunity = make_opportunity(topics=[topic])
    make_post(title="<b>Bold</b> news", topics=[topic])
    page = client.get(opportunity.get_absolute_url()).text
    assert "&lt;b&gt;Bold&lt;/b&gt; news" in page and "<b>Bold</b> news" not in page


@pytest.mark.parametrize("posts", [1, 12])
def test_the_page_with_related_news_keeps_its_query_budget(
    client, django_assert_max_num_queries, posts
):
    topics = [make_topic() for _ in range(3)]
    opportunity = make_opportunity(topics=topics)
    for _ in range(posts):
        make_post(topics=topics)
    # The row, its topics, contacts, reports, and the related posts.
    with django_assert_max_num_queries(6):
        assert client.get(opportunity.get_absolute_url()).status_code == 200
