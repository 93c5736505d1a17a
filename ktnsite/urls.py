"""Root URLconf: every app's URLs, the site-wide pages and the admin."""

import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from ktnsite import views

topic_patterns = ([path("<slug:slug>/", views.TopicDetailView.as_view(), name="detail")], "topics")

urlpatterns = [
    path("", views.home, name="home"),
    path("news/", include("news.urls")),
    path("reports/", include("reports.urls")),
    path("contacts/", include("contacts.urls")),
    path("topics/", include(topic_patterns)),
    path("mailing-list/", include("mailinglist.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.*)$", views.media))

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = settings.SITE_NAME
