"""The site's URLs plus the gadgets' own page (the tests' URLconf for gadgets)."""

from django.contrib.admin import AdminSite
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from publishing.publishable_admin import PublishableAdmin
from tests.gadgets.models import Gadget


def gadget_detail(request, slug):
    gadget = get_object_or_404(Gadget.objects.live(), slug=slug)
    return HttpResponse(gadget.title, content_type="text/plain")


# The gadgets' editors: the kernel's PublishableAdmin as it is, with nothing of gadgets' own
# (an admin site of their own, so that the site's admin and its tests never list gadgets).
gadget_admin = AdminSite(name="gadget_admin")
gadget_admin.register(Gadget, PublishableAdmin)

gadget_patterns = ([path("<slug:slug>/", gadget_detail, name="detail")], "gadgets")

urlpatterns = [
    path("gadgets/", include(gadget_patterns)),
    path("gadget-admin/", gadget_admin.urls),
    path("", include("ktnsite.urls")),
]
