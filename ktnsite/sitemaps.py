"""The sitemap: the list pages, site pages, every declared content type's items and the topics."""

from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from caching.frontcache import add_surrogate_keys
from ktnsite import sitepages
from news.models import Post, changed_for_readers
from publishing import registry
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
# Each content type says how (publishing.registry.SitemapSpec).


class ContentTypeSitemap(SiteSitemap):
    """One declared content type's items, as its declaration describes them."""

    content_type = None  # set on the subclass made for each type

    @property
    def changefreq(self):
        return self.content_type.sitemap.changefreq

    def items(self):
        spec = self.content_type.sitemap
        return spec.items() if spec.items else self.content_type.visible()

    def lastmod(self, item):
        spec = self.content_type.sitemap
        return spec.lastmod(item) if spec.lastmod else None


def content_type_sitemap(content_type):
    return type(
        f"{content_type.model.__name__}Sitemap",
        (ContentTypeSitemap,),
        {"content_type": content_type},
    )


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
        return (
            Topic.objects.live()
            .annotate(
                # A hub changes when a live post on it does.
                last_post_change=Subquery(newest_change)
            )
            .order_by("ordering", "name")
        )

    def lastmod(self, item):
        return item.last_post_change


class ListPageSitemap(SiteSitemap):
    changefreq = "daily"

    def _types(self):
        return [ct for ct in registry.content_types() if ct.sitemap and ct.index_view_name]

    def items(self):
        return ["home", *(ct.index_view_name for ct in self._types())]

    def location(self, item):
        return reverse(item)

    @cached_property
    def _latest_changes(self):
        # One instance serves one request, so each figure is read once per sitemap.
        latest = {
            ct.index_view_name: ct.sitemap.index_lastmod()
            for ct in self._types()
            if ct.sitemap.index_lastmod
        }
        # The home page leads with the news.
        latest["home"] = latest.get(registry.for_model(Post).index_view_name)
        return latest

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


def sitemaps():
    """Every section of /sitemap.xml: the list and site pages, each content type that has a
    sitemap (in the registry's order), then the topic hubs (whose lastmod reads posts)."""
    return {
        "pages": ListPageSitemap,
        "site-pages": SitePageSitemap,
        **{
            ct.list_key or ct.kind: content_type_sitemap(ct)
            for ct in registry.content_types()
            if ct.sitemap
        },
        "topics": TopicSitemap,
    }


def sitemap_view(request, **kwargs):
    """/sitemap.xml, which lists the items of every type with a sitemap (their list keys)."""
    with_sitemap = [ct for ct in registry.content_types() if ct.sitemap]
    add_surrogate_keys(request, registry.list_keys(with_sitemap))
    return sitemap(request, sitemaps=sitemaps(), **kwargs)
