"""Public pages for news: the list of posts and the article page."""

from django.views.generic import DetailView, ListView

from news.models import Post
from publishing.views import PublishableDetailMixin


class PostListView(ListView):
    queryset = Post.objects.live().prefetch_related("topics")
    paginate_by = 10


class PostDetailView(PublishableDetailMixin, DetailView):
    model = Post

    def get_queryset(self):
        return (
            super().get_queryset().select_related("report").prefetch_related("topics", "contacts")
        )
