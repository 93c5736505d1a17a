"""Small Django views behind the header links, topic tags and contact links."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from wagtail.models import Page

from news.models import NewsPage

from .forms import SignupForm
from .models import Contact, Topic


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    posts = NewsPage.objects.live().filter(topics=topic).order_by("-date")[:10]
    return render(request, "core/topic_detail.html", {"topic": topic, "posts": posts})


def contact_list(request):
    return render(request, "core/contact_list.html", {"contacts": Contact.objects.all()})


def contact_detail(request, slug):
    contact = get_object_or_404(Contact, slug=slug)
    return render(request, "core/contact_detail.html", {"contact": contact})


def mailing_list(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        messages.success(request, "Please check your email to confirm your subscription.")
        return redirect("mailing_list")
    return render(request, "core/mailing_list.html", {"form": form})


def search(request):
    query = request.GET.get("query", "")
    results = Page.objects.live().search(query) if query else Page.objects.none()
    return render(request, "core/search.html", {"query": query, "results": results})
