"""Site-wide pages that gather every app: the home page, topic hubs and the health check."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.generic import DetailView
from django.views.static import serve

from contacts.models import Contact
from news.models import Post
from reports.models import Report
from topics.models import Topic


def home(request):
    posts = Post.objects.live().prefetch_related("topics")
    featured = list(posts.filter(is_featured=True)[:1])
    latest = posts.exclude(pk__in=[p.pk for p in featured])[:6]
    return render(
        request,
        "ktnsite/home.html",
        {
            "featured": featured,
            "latest_posts": latest,
            "latest_reports": Report.objects.live()[:3],
            "topics": Topic.objects.all(),
        },
    )


class TopicDetailView(DetailView):
    model = Topic
    template_name = "topics/topic_detail.html"

    def get_context_data(self, **kwargs):
        topic = self.object
        return super().get_context_data(
            posts=Post.objects.live().filter(topics=topic)[:10],
            reports=Report.objects.live().filter(topics=topic)[:5],
            contacts=Contact.objects.active().filter(topics=topic),
            **kwargs,
        )


def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def media(request, path):
    """Uploaded files, for local runs and tests only (see SERVE_MEDIA in settings)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
