"""RSS 2.0 and Atom feeds of live posts: all news, and one per topic."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from caching.frontcache import add_surrogate_keys
from library.pictures import body_images_load, body_images_plain
from news.models import Post
from news.seo import post_share_image
from publishing.registry import list_key
from publishing.richtext import sanitise_html
from publishing.sharing import absolute_url
from topics.models import Topic

FEED_LENGTH = 20

# nh3 writes every kept attribute in double quotes, so a site-relative link in its output
# always looks like this; feed readers have no base address, so such links are made absolute.
_RELATIVE_URL = re.compile(r'(\s(?:href|src)=")/(?!/)')


def feed_body_html(body, images=None):
    """The article body for a feed reader: sanitised like the page, its library images as
    plain <img> (from `images`, loaded for the whole feed at once), with absolute links."""
    html = body_images_plain(sanitise_html(body), images)
    return _RELATIVE_URL.sub(lambda m: m[1] + absolute_url("/"), html)


class ArticleRssFeed(Rss201rev2Feed):
    """RSS 2.0 whose <description> is plain text and whose <content:encoded> is the body.

    Readers treat an RSS description as HTML, so the plain-text standfirst is HTML-escaped
    first: markup typed into it is shown as text, never run (issue 13, defect 3).
    """

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        description = item["description"]
        super().add_item_elements(
            handler, {**item, "description": None if description is None else escape(description)}
        )
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class ArticleAtomFeed(Atom1Feed):
    """Atom whose <summary> is type="text" (the standfirst) and <content> type="html" (the body)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class LatestPostsFeed(Feed):
    """All news, newest first."""

    feed_type = ArticleRssFeed

    def get_object(self, request, *args, **kwargs):
        add_surrogate_keys(request, list_key(Post))

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
        return (
            Post.objects.live()
            .select_related("hero_image")
            .prefetch_related(Prefetch("topics", Topic.objects.live()))
            .defer("search_vector")
        )

    def items(self):
        return self.with_body_images(self.posts()[:FEED_LENGTH])

    @staticmethod
    def with_body_images(posts):
        # The library images of every body, in one query for the whole feed; kept on each
        # post (not on the feed, which Django shares between requests).
        posts = list(posts)
        images = body_images_load(sanitise_html(post.body) for post in posts)
        for post in posts:
            post.body_images = images
        return posts

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Plain text: each feed type escapes it or labels it as text (see above).
        return item.standfirst

    def item_extra_kwargs(self, item):
        return {"content_html": feed_body_html(item.body, getattr(item, "body_images", None))}

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.changed_for_readers_at

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
    feed_type = ArticleAtomFeed

    def feed_url(self):
        return absolute_url(reverse("feeds:news-atom"))


class TopicPostsFeed(LatestPostsFeed):
    """News on one topic."""

    def get_object(self, request, slug):
        topic = get_object_or_404(Topic.objects.live(), slug=slug)
        add_surrogate_keys(request, topic.surrogate_key)
        return topic

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
        return self.with_body_images(self.posts().filter(topics=obj)[:FEED_LENGTH])


class TopicPostsAtomFeed(TopicPostsFeed):
    feed_type = ArticleAtomFeed

    def feed_url(self, obj):
        return absolute_url(reverse("feeds:topic-atom", kwargs={"slug": obj.slug}))
