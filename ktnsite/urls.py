"""Root URLconf: every app's URLs, the site-wide pages and the admin."""

import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from dashboard.views import count_view_beacon, count_view_pixel, readers_csv
from ktnsite import reminder_views, sitepages, views
from ktnsite.sitemaps import sitemap_view
from news import feeds
from opportunities import feeds as opportunity_feeds
from publishing.desk import link_search
from publishing.views import go

topic_patterns = ([path("<slug:slug>/", views.TopicDetailView.as_view(), name="detail")], "topics")
feed_patterns = (
    [
        path("news/", feeds.LatestPostsFeed(), name="news"),
        path("news/atom/", feeds.LatestPostsAtomFeed(), name="news-atom"),
        path("topics/<slug:slug>/", feeds.TopicPostsFeed(), name="topic"),
        path("topics/<slug:slug>/atom/", feeds.TopicPostsAtomFeed(), name="topic-atom"),
        path("opportunities/", opportunity_feeds.OpportunitiesFeed(), name="opportunities"),
        path(
            "opportunities/atom/",
            opportunity_feeds.OpportunitiesAtomFeed(),
            name="opportunities-atom",
        ),
        path(
            "topics/<slug:slug>/opportunities/",
            opportunity_feeds.TopicOpportunitiesFeed(),
            name="topic-opportunities",
        ),
        path(
            "topics/<slug:slug>/opportunities/atom/",
            opportunity_feeds.TopicOpportunitiesAtomFeed(),
            name="topic-opportunities-atom",
        ),
    ],
    "feeds",
)

site_page_patterns = (
    [
        path(url.lstrip("/"), views.site_page, {"url": url}, name=name)
        for name, (url, _title) in sitepages.FOOTER_PAGES.items()
    ]
    # Any other page editors add under Flat pages, with an address starting /pages/.
    + [re_path(r"^pages/(?P<rest>[-\w/]+)$", views.site_page_under_pages, name="other")],
    "site-page",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include(site_page_patterns)),
    path("news/", include("news.urls")),
    path("reports/", include("reports.urls")),
    path("events/", include("events.urls")),
    path("contacts/", include("contacts.urls")),
    # A reader's "remind me" joins an opportunity to the mailing list: the site's own.
    path("opportunities/<slug:slug>/remind-me/", reminder_views.remind_me, name="remind_me"),
    path("mailing-list/reminder/", reminder_views.reminder_confirm, name="reminder_confirm"),
    path("opportunities/", include("opportunities.urls")),
    path("topics/", include(topic_patterns)),
    path("mailing-list/", include("mailinglist.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    path("feeds/", include(feed_patterns)),
    path(
        "sitemap.xml",
        sitemap_view,
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("preview/", include("publishing.urls")),
    # Reviewers without an account: the signed "Ask an expert" link (review.views).
    path("review/", include("review.urls")),
    # Stable internal links that survive slug changes (publishing.links).
    path("go/<slug:kind>/<int:pk>/", go, name="go"),
    # The body editor's "Link to our content" search (staff only, like the admin itself).
    path("admin/link-search/", admin.site.admin_view(link_search), name="admin-link-search"),
    # Page views, sent by site.js after a page has loaded: never cached (POST, no-store).
    path("count/", count_view_beacon, name="dashboard-count"),
    # The same for readers without JavaScript: base.html's <noscript> image (GET, no-store).
    path("count/view.gif", count_view_pixel, name="dashboard-count-pixel"),
    # The dashboard's readers' figures as CSV (staff with the right to see them).
    path(
        "admin/dashboard/readers/<slug:figure>.csv",
        admin.site.admin_view(readers_csv),
        name="dashboard-readers-csv",
    ),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.*)$", views.media))

# A database out of reach answers 503 with Retry-After, not 500 (ktnsite.dbfaults).
handler500 = views.server_error

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = settings.SITE_NAME
admin.site.login_template = "admin/login_with_heading.html"
