"""The sitemap: every live post and report, active contacts, topics and the list pages."""

from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse

from contacts.models import Contact
from ktnsite import sitepages
from news.models import Post, changed_for_readers
from reports.models import Report
from topics.models import Topic


class SiteSitemap(Sitemap):
    """Absolute addresses from settings.SITE_URL rather than the request's host."""

    limit = 5000

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path


# lastmod is when a page last changed for its readers (a post's last major change, else its
# publication), never when its row was saved: a typo fix must not tell crawlers to come back.


class PostSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Post.objects.live()
            .only("slug", "publish_at", "major_change_at")
            .order_by("-publish_at", "-pk")
        )

    def lastmod(self, item):
        return item.changed_for_readers_at


class ReportSitemap(SiteSitemap):
    changefreq = "yearly"

    def items(self):
        return Report.objects.live().only("slug", "publish_at").order_by("-publish_at", "-pk")

    def lastmod(self, item):
        return item.publish_at


class ContactSitemap(SiteSitemap):
    changefreq = "yearly"

    def items(self):
        return Contact.objects.active().only("slug")


class TopicSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        newest_change = (
            Post.objects.live()
            .filter(topics=OuterRef("pk"))
            .annotate(changed=changed_for_readers())
            .order_by("-changed")
            .values("changed")[:1]
        )
        return Topic.objects.annotate(
            # A hub changes when a live post on it does.
            last_post_change=Subquery(newest_change)
        ).order_by("ordering", "name")

    def lastmod(self, item):
        return item.last_post_change


class ListPageSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "news:index", "reports:index", "contacts:index"]

    def location(self, item):
        return reverse(item)

    @cached_property
    def _latest_changes(self):
        # One instance serves one request, so each figure is read once per sitemap.
        posts = Post.objects.live().aggregate(last=Max(changed_for_readers()))["last"]
        reports = Report.objects.live().aggregate(last=Max("publish_at"))["last"]
        return {"home": posts, "news:index": posts, "reports:index": reports}

    def lastmod(self, item):
        return self._latest_changes.get(item)


class SitePageSitemap(SiteSitemap):
    """The footer's site pages and any other flat page readers can open without signing in."""

    changefreq = "yearly"

    def items(self):
        pages = FlatPage.objects.filter(sites=settings.SITE_ID, registration_required=False)
        return [page for page in pages.order_by("url") if sitepages.is_served(page.url)]

    def location(self, item):
        return item.url


SITEMAPS = {
    "pages": ListPageSitemap,
    "site-pages": SitePageSitemap,
    "news": PostSitemap,
    "reports": ReportSitemap,
    "contacts": ContactSitemap,
    "topics": TopicSitemap,
}
