"""App configuration for news."""

from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"

    def ready(self):
        from contacts.models import Contact
        from news.models import Post
        from publishing.backlinks import register_backlinks
        from publishing.links import register_link_kind
        from reports.models import Report

        # Body links to posts are found by search and checked before publishing.
        register_link_kind(
            "post", label="Post", model=Post, view_name="news:detail", visible=Post.objects.live
        )
        # A report's page lists the posts announcing it, a contact's the posts naming them.
        register_backlinks(Report, lambda report: Post.objects.live().filter(report=report))
        register_backlinks(
            Contact,
            lambda contact: Post.objects.live().filter(contacts=contact).prefetch_related("topics"),
        )
