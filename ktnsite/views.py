"""Site-wide pages that gather every app: home, topic hubs, search, robots.txt and the health check."""

import html
import posixpath
import sys

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView

from caching.frontcache import add_surrogate_keys
from contacts.models import Contact
from dashboard import counts as reader_counts
from events.models import SHORT_FIELDS as EVENT_SHORT_FIELDS
from events.models import Event, is_event_file
from ktnsite import dbfaults, sitepages, suggestions
from ktnsite import search as site_search
from news.models import CARD_FIELDS, Post, card_topics_prefetch
from opportunities.deadlines import State
from opportunities.models import Opportunity
from publishing import registry
from publishing.addresses import fixed_url
from publishing.registry import list_key
from publishing.sharing import absolute_url, breadcrumbs, collection_json_ld, website_json_ld
from publishing.views import PublishableDetailMixin
from publishing.widgets import PlainSelect
from reports.models import Report, is_report_file
from topics.forms import TopicFilterField
from topics.models import Topic

HOME_FEATURED = 3
HOME_LATEST = 6
TOPIC_LATEST = 10
HOME_OPPORTUNITIES = 3
TOPIC_OPPORTUNITIES = 5


def closing_soonest(*, topic=None, limit=HOME_OPPORTUNITIES):
    """Open funding opportunities (on `topic`), the soonest deadline first: one query."""
    opportunities = Opportunity.objects.live().in_state(State.OPEN)
    if topic is not None:
        opportunities = opportunities.filter(topics=topic)
    return list(
        opportunities.order_by("closes_at", "pk").only("title", "slug", "opens_at", "closes_at")[
            :limit
        ]
    )


def home(request):
    add_surrogate_keys(
        request, list_key(Post), list_key(Report), list_key(Event), list_key(Opportunity)
    )
    posts = Post.objects.live().only(*CARD_FIELDS)
    featured = list(posts.filter(is_featured=True)[:HOME_FEATURED])
    latest = list(posts.exclude(pk__in=[p.pk for p in featured])[:HOME_LATEST])
    # The topics of both lists in one query, not one per list.
    prefetch_related_objects([*featured, *latest], card_topics_prefetch())
    return render(
        request,
        "ktnsite/home.html",
        {
            "featured": featured,
            "latest_posts": latest,
            "latest_reports": Report.objects.live().only("title", "slug", "publish_at")[:3],
            "next_events": Event.objects.live().upcoming().only(*EVENT_SHORT_FIELDS)[:3],
            "closing_soonest": closing_soonest(),
            "topics": Topic.objects.live(),
            "description": f"News, reports and expert contacts from {settings.SITE_NAME}",
            "json_ld": website_json_ld(reverse("search")),
        },
    )


class TopicDetailView(PublishableDetailMixin, DetailView):
    model = Topic
    template_name = "topics/topic_detail.html"

    def get_context_data(self, **kwargs):
        topic = self.object
        add_surrogate_keys(self.request, topic.surrogate_key)
        posts = list(
            Post.objects.live()
            .filter(topics=topic)
            .only(*CARD_FIELDS)
            .prefetch_related(card_topics_prefetch())[:TOPIC_LATEST]
        )
        reports = list(
            Report.objects.live().filter(topics=topic).only("title", "slug", "publish_at")[:5]
        )
        contacts = list(
            Contact.objects.active().filter(topics=topic).only("name", "slug", "job_title")
        )
        # Its upcoming events: the hub carries the topic's key, which a change to one purges.
        events = list(
            Event.objects.live().upcoming().filter(topics=topic).only(*EVENT_SHORT_FIELDS)[:3]
        )
        opportunities = closing_soonest(topic=topic, limit=TOPIC_OPPORTUNITIES)
        description = topic.description or f"News, reports and named contacts on {topic.name}"
        return super().get_context_data(
            opportunities=opportunities,
            posts=posts,
            reports=reports,
            contacts=contacts,
            events=events,
            description=description,
            # Everything the hub lists, in the order shown.
            json_ld=collection_json_ld(
                topic.name,
                description,
                topic.get_absolute_url(),
                [*opportunities, *posts, *reports, *contacts],
            ),
            breadcrumbs=breadcrumbs(
                [("Home", fixed_url("home"))], (topic.name, topic.get_absolute_url())
            ),
            **kwargs,
        )


class QueryField(forms.CharField):
    """Free text as typed: control characters dropped and length capped, never an error."""

    def to_python(self, value):
        return site_search.clean_query(super().to_python(value))


def _type_choices():
    # Read when the form is made: the kinds come from the registry, filled by apps' ready().
    return [("", "Everything")] + [(k.key, k.label) for k in site_search.KINDS.values()]


class SearchForm(forms.Form):
    q = QueryField(label="Search for", required=False)
    type = forms.ChoiceField(
        label="Type",
        required=False,
        widget=PlainSelect,
        choices=_type_choices,
    )
    topic = TopicFilterField()


SEARCH_PAGE_SIZE = 10


def _suggestion_link(form, suggested):
    """(words, URL) of the same search with the suggested words, or None."""
    if not suggested:
        return None
    params = {"q": suggested}
    if form.cleaned_data["type"]:
        params["type"] = form.cleaned_data["type"]
    if form.cleaned_data["topic"]:
        params["topic"] = form.cleaned_data["topic"].slug
    return suggested, f"{reverse('search')}?{urlencode(params)}"


def _page_number(value):
    """The page a ?page= asks for, as Paginator.get_page will read it when it can (else 1)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= site_search.MAX_RESULTS else 1


def search(request):
    # The page lists (or may list) every searchable type.
    add_surrogate_keys(request, registry.list_keys(registry.searchable()))
    form = SearchForm(request.GET or None)
    page = None
    results = []
    phrase_window = None
    suggestion = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        query = form.cleaned_data["q"]
        rows = site_search.search_results(
            query, kind=form.cleaned_data["type"] or None, topic=form.cleaned_data["topic"]
        )
        if hasattr(rows, "prefetch"):
            # The page asked for and the count in one query; a page number past the end
            # costs a second (the Paginator then shows the last page).
            rows.prefetch(_page_number(request.GET.get("page")), SEARCH_PAGE_SIZE)
        page = Paginator(rows, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        if query:
            results = site_search.hits(list(page.object_list), query)
            phrase_window = site_search.phrase_window(query)
            if not rows:
                suggestion = _suggestion_link(form, suggestions.suggest(query))
            if page.number == 1:  # a search, not its further pages
                # Counted only when the page is made: a cached copy is not (dashboard.counts).
                reader_counts.count_search(request, query, found=page.paginator.count > 0)
    return render(
        request,
        "ktnsite/search.html",
        {
            "form": form,
            "query": form.cleaned_data.get("q", "") if form.is_bound and status == 200 else "",
            "page_obj": page,
            "results": results,
            "capped": page is not None and site_search.is_capped(page.paginator.count),
            "phrase_window": phrase_window,
            "suggestion": suggestion,
        },
        status=status,
    )


def robots_txt(request):
    """Crawlers: keep out of the admin, previews and search results; here is the sitemap."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        # Drafts are only ever shown to signed-in editors, but keep any preview address
        # (and the endless space of search result pages) out of crawlers' queues anyway.
        "Disallow: /preview/",
        f"Disallow: {reverse('search')}",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def site_page(request, url):
    """A flat page (privacy notice, accessibility statement...), its text sanitised on show.

    Rendered here rather than by flatpages' own view, which marks the title and content
    safe as they are; and its per-page template choice is not offered to editors.
    """
    page = sitepages.site_page(url)
    if page is None:
        raise Http404("No such page.")
    if page.registration_required and not request.user.is_authenticated:
        return redirect_to_login(request.path)
    return render(
        request,
        "ktnsite/site_page.html",
        {
            "page": page,
            # The opening words as plain text (entities decoded: the template escapes again).
            "description": Truncator(html.unescape(strip_tags(page.content))).words(30),
            "breadcrumbs": breadcrumbs([("Home", fixed_url("home"))], (page.title, page.url)),
        },
    )


def site_page_under_pages(request, rest):
    return site_page(request, f"/pages/{rest}")


def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for at the root: the static file."""
    return redirect(static("img/favicon.ico"))


def server_error(request):
    """The 500 page; 503 with Retry-After when what failed was reaching the database (a
    fault that passes: ktnsite.dbfaults), wherever in the request it happened."""
    if dbfaults.is_fault(sys.exc_info()[1]):
        return dbfaults.unavailable()
    return defaults.server_error(request)


@never_cache  # load balancers must hear about the database now, not ten minutes ago
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def media(request, path):
    """Uploaded files, for local runs and tests only (see SERVE_MEDIA in settings).

    Read through the storage API rather than from MEDIA_ROOT, so it serves whatever
    storage holds the uploads, including one with no local files. Report files are never
    served here, whatever the path says (a draft's file must not be fetchable by guessing
    its name): only through the report's download view. An event's slides and recordings
    likewise only through the event's file view.
    """
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or is_report_file(path) or is_event_file(path):
        raise Http404("No such file.")
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, ValueError) as exc:
        raise Http404("No such file.") from exc
    return FileResponse(handle)
