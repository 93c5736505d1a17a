"""Posts related to a funding opportunity by shared topics, for its page (joins news to opportunities)."""

from news.models import CARD_FIELDS, Post
from opportunities.models import Opportunity

# How many posts an opportunity's page lists.
RELATED_POSTS = 3


def opportunity_related_posts(opportunity):
    """The newest live posts sharing a topic with `opportunity`: one query, no duplicates.

    Registered with publishing.backlinks from ktnsite, the site layer, because news and
    opportunities may not import each other (pyproject.toml's import contracts).
    """
    topic_ids = Opportunity.topics.through.objects.filter(opportunity_id=opportunity.pk).values(
        "topic_id"
    )
    sharing = Post.topics.through.objects.filter(topic_id__in=topic_ids).values("post_id")
    return (
        Post.objects.live()
        .filter(pk__in=sharing)
        .only(*CARD_FIELDS)
        .order_by("-publish_at", "-pk")[:RELATED_POSTS]
    )
