"""App configuration for news."""

from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"

    def ready(self):
        from news.models import Post
        from publishing.links import register_link_kind

        # Body links to posts are found by search and checked before publishing.
        register_link_kind(
            "post", label="Post", model=Post, view_name="news:detail", visible=Post.objects.live
        )
