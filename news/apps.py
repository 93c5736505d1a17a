"""App configuration for news."""

from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"

    def ready(self):
        from django.db.models import Max, Prefetch

        from caching.frontcache import declare_public
        from contacts.models import Contact
        from news.models import Post, PostChange, changed_for_readers
        from publishing.backlinks import register_backlinks
        from publishing.registry import SearchSpec, SitemapSpec, declare_content_type
        from reports.models import Report
        from topics.models import Topic

        # What a post is to the site, said once: the link chooser, the front cache (a post
        # is on the news lists, home, feeds, sitemap and search, and on its topics' hubs),
        # search, the sitemap and topic alerts all read this.
        posts = declare_content_type(
            Post,
            kind="post",
            label="Post",
            plural_label="News",
            view_name="news:detail",
            index_view_name="news:index",
            list_key="news",
            topics_field="topics",
            search=SearchSpec(
                text_fields=("standfirst", "body"),
                html_fields=("body",),
                word_fields=("title", "standfirst"),
                month_field="publish_at",  # news 0012
            ),
            # lastmod is a post's last major change, else its publication: a typo fix must
            # not tell crawlers to come back.
            sitemap=SitemapSpec(
                changefreq="monthly",
                items=lambda: (
                    Post.objects.live()
                    .only("slug", "publish_at", "major_change_at")
                    .order_by("-publish_at", "-pk")
                ),
                lastmod=lambda post: post.changed_for_readers_at,
                index_lastmod=lambda: Post.objects.live().aggregate(
                    last=Max(changed_for_readers())
                )["last"],
            ),
            alerts=True,
            order=10,
        )
        # A change note shows on its post's page (the "Updated" history).
        declare_public(PostChange, keys=lambda change: [posts.key_for_pk(change.post_id)])
        # A report's page lists the posts announcing it, a contact's the posts naming them.
        register_backlinks(
            Report, lambda report: Post.objects.live().filter(report=report), source=Post
        )
        register_backlinks(
            Contact,
            lambda contact: (
                Post.objects.live()
                .filter(contacts=contact)
                .prefetch_related(Prefetch("topics", Topic.objects.live()))
            ),
            source=Post,
        )
