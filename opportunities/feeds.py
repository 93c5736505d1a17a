"""RSS 2.0 and Atom feeds of funding opportunities still open or upcoming: all, and one per topic."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from caching.frontcache import add_surrogate_keys
from opportunities.models import Opportunity
from publishing.registry import list_key
from publishing.sharing import absolute_url
from topics.models import Topic

FEED_LENGTH = 20


class PlainTextRssFeed(Rss201rev2Feed):
    """RSS whose <description> is HTML-escaped plain text: readers treat it as HTML, so an
    editor's "<b>" shows as typed, never as markup."""

    def add_item_elements(self, handler, item):
        description = item["description"]
        super().add_item_elements(
            handler, {**item, "description": None if description is None else escape(description)}
        )


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose <summary> is type="text"."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class OpportunitiesFeed(Feed):
    """Open and upcoming opportunities, the latest announced first."""

    feed_type = PlainTextRssFeed
    route = "feeds:opportunities"

    def get_object(self, request, *args, **kwargs):
        add_surrogate_keys(request, list_key(Opportunity))

    def title(self):
        return f"{settings.SITE_NAME}: funding opportunities"

    def description(self):
        return f"Open and upcoming funding opportunities from {settings.SITE_NAME}."

    subtitle = description

    def link(self):
        return absolute_url(reverse("opportunities:index"))

    def feed_url(self):
        return absolute_url(reverse(self.route))

    def opportunities(self):
        return (
            Opportunity.objects.live()
            .not_closed(timezone.now())
            .prefetch_related(Prefetch("topics", Topic.objects.live()))
            .defer("search_vector", "body")
            .order_by("-publish_at", "-pk")
        )

    def items(self):
        return self.opportunities()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.state_line}. {item.funder}. {item.standfirst}"

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.publish_at

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class OpportunitiesAtomFeed(OpportunitiesFeed):
    feed_type = PlainTextAtomFeed
    route = "feeds:opportunities-atom"


class TopicOpportunitiesFeed(OpportunitiesFeed):
    """Open and upcoming opportunities on one topic."""

    route = "feeds:topic-opportunities"

    def get_object(self, request, slug):
        topic = get_object_or_404(Topic.objects.live(), slug=slug)
        add_surrogate_keys(request, topic.surrogate_key, list_key(Opportunity))
        return topic

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name} funding opportunities"

    def description(self, obj):
        return f"Open and upcoming funding opportunities on {obj.name} from {settings.SITE_NAME}."

    subtitle = description

    def link(self, obj):
        return absolute_url(f"{reverse('opportunities:index')}?topic={obj.slug}")

    def feed_url(self, obj):
        return absolute_url(reverse(self.route, kwargs={"slug": obj.slug}))

    def items(self, obj):
        return self.opportunities().filter(topics=obj)[:FEED_LENGTH]


class TopicOpportunitiesAtomFeed(TopicOpportunitiesFeed):
    feed_type = PlainTextAtomFeed
    route = "feeds:topic-opportunities-atom"
