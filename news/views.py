"""Public pages for news: the list (filtered by topic and year), the yearly archive and the article."""

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.views.generic import DetailView, ListView

from caching.frontcache import add_surrogate_keys
from news.models import CARD_FIELDS, Post, card_topics_prefetch
from news.seo import post_json_ld, post_share_image
from publishing.addresses import fixed_url
from publishing.pagination import PageFieldsForm, years_spanned
from publishing.registry import list_key
from publishing.sharing import breadcrumbs
from publishing.views import KeysetListMixin, PublishableDetailMixin
from publishing.widgets import PlainSelect
from topics.forms import TopicFilterField
from topics.models import Topic

RELATED_POSTS = 3


def related_posts(post, limit=RELATED_POSTS, topics=None):
    """Live posts sharing a topic with `post`, newest first: one query, whatever the size.

    A semi-join (IN a subquery, which PostgreSQL plans as EXISTS) rather than a join with
    DISTINCT, so the database walks posts newest first and stops after `limit` matches
    instead of sorting every post of a busy topic. IN rather than a correlated EXISTS: the
    same plan, and a sixth fewer Python calls to build.
    """
    topic_ids = [topic.pk for topic in (post.topics.all() if topics is None else topics)]
    if not topic_ids:
        return []
    in_a_topic = Post.topics.through.objects.filter(topic_id__in=topic_ids).values("post_id")
    return list(
        Post.objects.live()
        .filter(pk__in=in_a_topic)
        .exclude(pk=post.pk)
        .only("title", "slug", "publish_at")[:limit]
    )


class PostFilterForm(PageFieldsForm):
    topic = TopicFilterField(error_messages={"invalid_choice": "There is no such topic."})
    year = forms.TypedChoiceField(
        label="Year",
        widget=PlainSelect,
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "There is no news from that year."},
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All years")] + [(str(y), str(y)) for y in years]


class PostListView(KeysetListMixin, ListView):
    """/news/?topic=<slug>&year=<yyyy>, and /news/archive/<year>/ for one year."""

    context_object_name = "post_list"

    def get(self, request, *args, **kwargs):
        add_surrogate_keys(request, list_key(Post))
        self.years = years_spanned(Post.objects.live())
        data = request.GET.copy()
        self.archive_year = kwargs.get("year")
        if self.archive_year is not None:
            if not 1000 <= self.archive_year <= 9999:
                raise Http404("No archive for that year.")
            data["year"] = str(self.archive_year)
            # An archive year with no posts is still a valid (empty) archive page.
            if self.archive_year not in self.years:
                self.years = sorted({*self.years, self.archive_year}, reverse=True)
        self.filters = PostFilterForm(data, years=self.years)
        self.filters_valid = self.filters.is_valid()
        response = super().get(request, *args, **kwargs)
        if not self.filters_valid:
            response.status_code = 400
        return response

    def get_queryset(self):
        posts = Post.objects.live().only(*CARD_FIELDS).prefetch_related(card_topics_prefetch())
        if not self.filters_valid:
            return posts.none()
        topic = self.filters.cleaned_data.get("topic")
        year = self.filters.cleaned_data.get("year")
        if topic is not None:
            posts = posts.filter(topics=topic)
        if year is not None:
            posts = posts.filter(publish_at__year=year)
        return posts

    def get_context_data(self, **kwargs):
        cleaned = self.filters.cleaned_data if self.filters_valid else {}
        topic, year = cleaned.get("topic"), cleaned.get("year")
        meta_title, description = _list_words(topic, year, self.archive_year)
        return self.keyset_context(
            meta_title=meta_title,
            description=description,
            topic=topic,
            year=year,
            archive_year=self.archive_year,
            years=self.years,
            **kwargs,
        )


def _list_words(topic, year, archive_year):
    """The news list's title and description, for its filters."""
    site = settings.SITE_NAME
    if archive_year:
        title, lead = f"News from {archive_year}", f"News from {site} published in {archive_year}"
    elif topic and year:
        title = f"{topic.name} news from {year}"
        lead = f"{topic.name} news from {site} published in {year}"
    elif topic:
        title, lead = f"{topic.name} news", f"The latest {topic.name} news from {site}"
    elif year:
        title, lead = f"News from {year}", f"News from {site} published in {year}"
    else:
        title, lead = "News", f"The latest news from {site}"
    return title, f"{lead}: funding, events, reports and collaborations, newest first."


def _shown(post, name):
    """The post's contacts (or topics), with only the name and slug the article shows.

    Read with the related manager, not prefetch_related: the same query for 400 fewer
    Python calls each. A preview of unsaved choices (publishing.views.render_unsaved) has put
    the form's choices in the prefetch cache: those are shown then.
    """
    chosen = getattr(post, "_prefetched_objects_cache", {}).get(name)
    if chosen is not None:
        return list(chosen)
    return list(getattr(post, name).live().only("name", "slug"))


def _topics(post):
    """The post's topics and every topic (the page's sign-up form offers them all).

    One query for both, each topic marked whether the post has it: the same Python work as
    two simpler queries (callgrind), but one round trip and one statement fewer for the
    database on every uncached article.
    """
    has_it = Post.topics.through.objects.filter(post_id=post.pk, topic_id=OuterRef("pk"))
    every = list(Topic.objects.live().only("name", "slug").annotate(on_post=Exists(has_it)))
    if "topics" in getattr(post, "_prefetched_objects_cache", {}):
        return _shown(post, "topics"), every
    return [topic for topic in every if topic.on_post], every


class PostDetailView(PublishableDetailMixin, DetailView):
    model = Post

    def get_queryset(self):
        # Not the columns that can be large and the page never shows: a report's text read
        # from its file (up to REPORTS_EXTRACT_MAX_CHARS) and the search vectors. A hand list
        # of every column shown saved under 10 % of an uncached article's CPU time
        # (bench/django_tools.py), too little for a list to keep in step with the template.
        return (
            super()
            .get_queryset()
            .select_related("report__accessible_format_contact", "hero_image")
            .defer("search_vector", "report__extracted_text", "report__search_vector")
        )

    def get_context_data(self, **kwargs):
        post = self.object
        report = post.report
        topics, all_topics = _topics(post)
        contacts = _shown(post, "contacts")
        add_surrogate_keys(
            self.request,
            post,
            report,
            report and report.accessible_format_contact,
            contacts,
            # Related posts are those sharing a topic: a post joining one purges its key.
            [topic.surrogate_key for topic in topics],
        )
        share_image = post_share_image(post)
        return super().get_context_data(
            topics=topics,
            all_topics=all_topics,
            contacts=contacts,
            share_image=share_image,
            json_ld=post_json_ld(post, share_image),
            related=related_posts(post, topics=topics),
            # Only a post with a major change has notes: no query for the rest.
            changes=list(post.changes.all()) if post.major_change_at else [],
            breadcrumbs=breadcrumbs(
                [("Home", fixed_url("home")), ("News", fixed_url("news:index"))],
                (post.title, post.get_absolute_url()),
            ),
            **kwargs,
        )
