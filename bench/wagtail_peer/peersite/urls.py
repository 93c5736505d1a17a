"""URLs of the Wagtail peer: the admin, documents, the small core views, then Wagtail's pages.

Static and media files are not served: the benchmark fetches only the article's HTML.
"""

from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import views as core_views

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The header links and the article's tags and contact links lead to these.
    path("search/", core_views.search, name="search"),
    path("topics/<slug:slug>/", core_views.topic_detail, name="topic_detail"),
    path("contacts/", core_views.contact_list, name="contact_list"),
    path("contacts/<slug:slug>/", core_views.contact_detail, name="contact_detail"),
    path("mailing-list/", core_views.mailing_list, name="mailing_list"),
    # Everything else is a page in Wagtail's tree; this must come last.
    path("", include(wagtail_urls)),
]
