"""App configuration for topics."""

from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "topics"

    def ready(self):
        from publishing.registry import declare_content_type
        from topics.models import Topic

        # Body links to topics are found by search and checked before publishing. Topics are
        # named on nearly every page (the mailing-list block lists them all): with no list
        # key, a change to one purges the whole site. Editors rarely change topics. Their
        # hubs' sitemap reads posts, so the site layer lists them (ktnsite.sitemaps).
        declare_content_type(
            Topic,
            kind="topic",
            label="Topic",
            plural_label="Topics",
            view_name="topics:detail",
            list_key=None,
            visible_to_readers="live",
            title_field="name",
            order=90,
        )
