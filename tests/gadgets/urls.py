"""The site's URLs plus the gadgets' own page (the tests' URLconf for gadgets)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from tests.gadgets.models import Gadget


def gadget_detail(request, slug):
    gadget = get_object_or_404(Gadget.objects.live(), slug=slug)
    return HttpResponse(gadget.title, content_type="text/plain")


gadget_patterns = ([path("<slug:slug>/", gadget_detail, name="detail")], "gadgets")

urlpatterns = [
    path("gadgets/", include(gadget_patterns)),
    path("", include("ktnsite.urls")),
]
