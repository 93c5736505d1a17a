"""App configuration for topics."""

from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "topics"

    def ready(self):
        from publishing.links import register_link_kind
        from topics.models import Topic

        # Body links to topics are found by search and checked before publishing.
        register_link_kind(
            "topic",
            label="Topic",
            model=Topic,
            view_name="topics:detail",
            visible=Topic.objects.all,
            title_field="name",
        )
