"""Public pages for funding opportunities: the finder and each opportunity's page."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import DetailView, ListView

from caching.frontcache import add_surrogate_keys
from caching.pagecache import kept_until_change
from opportunities.calendar import deadline_calendar
from opportunities.deadlines import State
from opportunities.finder import FinderForm, card, finder_page, ids_of, related_ids
from opportunities.models import CARD_FIELDS, Opportunity, applicant_q, band_q
from opportunities.seo import opportunity_json_ld
from publishing.addresses import fixed_url
from publishing.backlinks import backlink_keys, backlinks
from publishing.registry import list_key
from publishing.sharing import breadcrumbs, list_page_json_ld, list_path, share_image
from publishing.views import PublishableDetailMixin
from reports.models import Report
from topics.models import Topic

FILTERS = ("state", "topic", "funder", "type", "band", "who", "next", "prev")
# Open calls on the same topics offered on a closed call's page.
ALTERNATIVES = 3
RELATED_EVENTS = 10  # briefings and workshops about one opportunity, soonest first
# Each finder card's topic ids, a column of the page's query: built once, as it never changes.
TOPIC_IDS = related_ids(Opportunity, "topics")


def live_funders():
    """The funders of live opportunities, for the finder's filter: one query."""
    return list(
        Opportunity.objects.live().order_by("funder").values_list("funder", flat=True).distinct()
    )


def finder_facets():
    """What the finder's filters offer: the funders of live calls, and every live topic. Kept as a
    page listing them would be, until anything public changes or the next item goes live or
    is taken down (caching.pagecache.kept_until_change); two queries when not kept."""
    funders, topics = kept_until_change(
        # Plain values, not pickled model instances (which warn once Django is upgraded).
        "opportunities.finder-filters",
        lambda: (live_funders(), list(Topic.objects.live().values())),
    )
    # As read from the database (saved, not new), with every column.
    return funders, [
        Topic.from_db(DEFAULT_DB_ALIAS, list(topic), list(topic.values())) for topic in topics
    ]


def filtered(queryset, cleaned, now):
    """The finder's filters on `queryset`, except the page."""
    state = cleaned.get("state") or ""
    queryset = queryset.in_state(state, now) if state else queryset.not_closed(now)
    if topic := cleaned.get("topic"):
        queryset = queryset.filter(topics=topic)
    if funder := cleaned.get("funder"):
        queryset = queryset.filter(funder=funder)
    if kind := cleaned.get("type"):
        queryset = queryset.filter(funding_type=kind)
    if band := cleaned.get("band"):
        queryset = queryset.filter(band_q(band))
    if who := cleaned.get("who"):
        queryset = queryset.filter(applicant_q(who))
    return queryset


class OpportunityListView(ListView):
    """/opportunities/: open and upcoming calls, soonest deadline first; closed ones apart."""

    context_object_name = "opportunity_list"
    template_name = "opportunities/opportunity_list.html"
    page_size = 10

    def get(self, request, *args, **kwargs):
        add_surrogate_keys(request, list_key(Opportunity))
        if any(value == "" for value in request.GET.values()):
            # The form sends "Any funder" as funder=: drop empty filters so the address stays
            # short and shareable (/opportunities/?topic=net-zero), and one page is one address.
            kept = request.GET.copy()
            for key in [key for key, value in request.GET.items() if value == ""]:
                del kept[key]
            return redirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)
        self.now = timezone.now()
        funders, self.topics = finder_facets()
        self.filters = FinderForm(request.GET or None, funders=funders, topics=self.topics)
        self.valid = not self.filters.is_bound or self.filters.is_valid()
        response = super().get(request, *args, **kwargs)
        if not self.valid:
            response.status_code = 400
        return response

    def get_queryset(self):
        queryset = Opportunity.objects.live().only(*CARD_FIELDS)
        if not self.valid:
            return queryset.none()
        cleaned = self.filters.cleaned_data if self.filters.is_bound else {}
        return filtered(queryset, cleaned, self.now)

    def get_context_data(self, **kwargs):
        cleaned = self.filters.cleaned_data if self.filters.is_bound and self.valid else {}
        state = cleaned.get("state") or ""
        # One query: the page, whether there are pages either side, and how many calls match.
        page = finder_page(
            self.object_list,
            size=self.page_size,
            descending=state == State.CLOSED,
            next_key=cleaned.get("next"),
            prev_key=cleaned.get("prev"),
            count=self.valid,
            # Each card's topics come with its row, from the topics kept with the filters.
            columns={"topic_ids": TOPIC_IDS},
        )
        for opportunity in page.object_list:
            ids = ids_of(opportunity.topic_ids)
            opportunity.card = card(
                opportunity, [topic for topic in self.topics if topic.pk in ids], self.now
            )
        topic = cleaned.get("topic")
        title = "Closed funding opportunities" if state == State.CLOSED else "Funding opportunities"
        if topic:
            title = f"{title}: {topic.name}"
        description = (
            f"Funding opportunities from {settings.SITE_NAME} and its partners"
            + (f" on {topic.name}" if topic else "")
            + ": grants, loans and prizes, with who can apply and when they close."
        )
        context = super().get_context_data(
            object_list=page.object_list,
            opportunity_list=page.object_list,
            page_obj=page,
            filters=self.filters,
            state=state,
            result_count=page.count or 0,
            meta_title=title,
            description=description,
            canonical_path=list_path(self.request, filters=FILTERS),
            breadcrumbs=breadcrumbs(
                [("Home", fixed_url("home"))], (title, fixed_url("opportunities:index"))
            ),
            **kwargs,
        )
        context["json_ld"] = list_page_json_ld(context, title, description)
        return context


# What an opportunity's page reads of the row and its picture.
PAGE_COLUMNS = [
    field.name
    for field in Opportunity._meta.concrete_fields
    if field.name not in ("search_vector", "image")
] + [
    "image",
    *(
        f"image__{name}"
        for name in (
            "file",
            "width",
            "height",
            "alt",
            "decorative",
            "caption",
            "credit",
            "renditions",
        )
    ),
]


class OpportunityCalendarView(PublishableDetailMixin, DetailView):
    """/opportunities/<slug>/deadline.ics: the closing time for a reader's calendar."""

    model = Opportunity
    http_method_names = ["get", "head"]

    def render_to_response(self, context, **response_kwargs):
        opportunity = self.object
        add_surrogate_keys(self.request, opportunity)
        response = HttpResponse(
            deadline_calendar(opportunity), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{opportunity.slug}-deadline.ics"
        )
        return response


class OpportunityDetailView(PublishableDetailMixin, DetailView):
    model = Opportunity

    def get_queryset(self):
        return super().get_queryset().select_related("image").only(*PAGE_COLUMNS)

    def get_context_data(self, **kwargs):
        opportunity = self.object
        now = timezone.now()
        # Prefetched, so that the JSON-LD's topics (seo) read the same rows: one query.
        prefetch_related_objects(
            [opportunity], Prefetch("topics", queryset=Topic.objects.live().only("name", "slug"))
        )
        topics = list(opportunity.topics.all())
        contacts = list(opportunity.contacts.active().only("name", "slug", "job_title"))
        reports = list(
            Report.objects.live()
            .filter(pk__in=opportunity.reports.values("pk"))
            .only("title", "slug", "publish_at")
        )
        # Posts on the same topics (registered by the site layer: publishing.backlinks).
        related_posts = list(backlinks(opportunity, "posts")) if topics else []
        alternatives = []
        if opportunity.state(now) == State.CLOSED and topics:
            alternatives = list(
                Opportunity.objects.live()
                .not_closed(now)
                .filter(topics__in=topics)
                .exclude(pk=opportunity.pk)
                .order_by("closes_at", "pk")
                .distinct()
                .only("title", "slug", "opens_at", "closes_at")[:ALTERNATIVES]
            )
        # Events about it (a briefing): registered by events, which stand above opportunities
        # (publishing.backlinks), so this app never names them.
        events = list(backlinks(opportunity, "events")[:RELATED_EVENTS])
        add_surrogate_keys(
            self.request,
            opportunity,
            contacts,
            reports,
            # A closed call's page lists open ones on its topics.
            list_key(Opportunity) if opportunity.state(now) == State.CLOSED else None,
            # A post or event going live, changed or taken down may change the lists above.
            *backlink_keys(Opportunity),
        )
        return super().get_context_data(
            now=now,
            state=opportunity.state(now),
            topics=topics,
            contacts=contacts,
            related_reports=reports,
            related_events=events,
            related_posts=related_posts,
            alternatives=alternatives,
            share_image=share_image(opportunity.image),
            json_ld=opportunity_json_ld(opportunity),
            breadcrumbs=breadcrumbs(
                [
                    ("Home", fixed_url("home")),
                    ("Funding opportunities", fixed_url("opportunities:index")),
                ],
                (opportunity.title, opportunity.get_absolute_url()),
            ),
            **kwargs,
        )
