"""RSS 2.0 and Atom feeds of live posts: all news, and one per topic."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure

from news.models import Post
from news.seo import post_share_image
from publishing.sharing import absolute_url
from topics.models import Topic

FEED_LENGTH = 20


class LatestPostsFeed(Feed):
    """All news, newest first."""

    def title(self):
        return f"{settings.SITE_NAME}: news"

    def description(self):
        return f"The latest news from {settings.SITE_NAME}."

    subtitle = description

    def link(self):
        return absolute_url(reverse("news:index"))

    def feed_url(self):
        return absolute_url(reverse("feeds:news"))

    def posts(self):
        return Post.objects.live().prefetch_related("topics").defer("body", "search_vector")

    def items(self):
        return self.posts()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]

    def item_enclosures(self, item):
        image = post_share_image(item)
        if image is None:
            return []
        length = image.length
        if length is None:  # renditions made before their sizes were recorded
            try:
                length = item.hero_image.storage.size(image.name)
            except OSError:
                length = 0
        return [Enclosure(image.url, str(length), image.mime_type)]


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed

    def feed_url(self):
        return absolute_url(reverse("feeds:news-atom"))


class TopicPostsFeed(LatestPostsFeed):
    """News on one topic."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name} news"

    def description(self, obj):
        return obj.description or f"The latest news on {obj.name} from {settings.SITE_NAME}."

    subtitle = description

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(reverse("feeds:topic", kwargs={"slug": obj.slug}))

    def items(self, obj):
        return self.posts().filter(topics=obj)[:FEED_LENGTH]


class TopicPostsAtomFeed(TopicPostsFeed):
    feed_type = Atom1Feed

    def feed_url(self, obj):
        return absolute_url(reverse("feeds:topic-atom", kwargs={"slug": obj.slug}))
