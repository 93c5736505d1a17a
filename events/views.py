"""Public pages for events: upcoming and past lists (by topic, format and month), the event page."""

import hashlib
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Min, Prefetch, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.views.generic import DetailView, ListView

from caching.frontcache import add_surrogate_keys
from contacts.models import Contact
from events import services
from events.calendar import (
    CONTENT_TYPE,
    calendar,
    event_calendar,
    google_calendar_url,
    outlook_calendar_url,
    webcal_url,
)
from events.models import CARD_FIELDS, Event, EventFile, EventFormat
from events.seo import event_json_ld
from news.models import Post
from opportunities.models import Opportunity
from publishing.addresses import fixed_url, slug_url
from publishing.pagination import PageFieldsForm
from publishing.registry import list_key
from publishing.sharing import breadcrumbs, share_image
from publishing.uktime import LONDON, uk_time
from publishing.views import KeysetListMixin, PublishableDetailMixin
from publishing.widgets import PlainSelect
from topics.forms import TopicFilterField
from topics.models import Topic

# The month filter offers at most this many months either way (the lists' span).
MONTHS_OFFERED = 36
# What the event page shows of its related opportunity: its title, link, state and deadline.
OPPORTUNITY_COLUMNS = ("title", "slug", "opens_at", "closes_at")
# What the event page shows of each attached file (slides, recording): a link and its facts.
FILE_COLUMNS = ("event_id", "kind", "title", "file_type", "file_size", "position")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_bounds(value):
    """("2026-03") -> (start, end) of that month in UK time, as aware datetimes."""
    year, month = (int(part) for part in MONTH.match(value).groups())
    start = datetime(year, month, 1, tzinfo=LONDON)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=LONDON)
    return start, end


def months_between(first, last, newest_first):
    """["2026-03", "2026-04"...] from `first` to `last` (aware datetimes), UK months."""
    first, last = uk_time(first), uk_time(last)
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month) and len(months) < MONTHS_OFFERED:
        months.append(f"{year:04d}-{month:02d}")
        year, month = year + month // 12, month % 12 + 1
    return months[::-1] if newest_first else months


def month_label(value):
    start, _ = month_bounds(value)
    return f"{start:%B %Y}"


class EventFilterForm(PageFieldsForm):
    topic = TopicFilterField(error_messages={"invalid_choice": "There is no such topic."})
    format = forms.ChoiceField(
        label="Format",
        widget=PlainSelect,
        required=False,
        choices=[("", "Any format"), *EventFormat.choices],
        error_messages={"invalid_choice": "There is no such format."},
    )
    month = forms.ChoiceField(
        label="Month",
        widget=PlainSelect,
        required=False,
        error_messages={"invalid_choice": "There are no events listed in that month."},
    )

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", "Any month")] + [
            (month, month_label(month)) for month in months
        ]


class EventListView(KeysetListMixin, ListView):
    """/events/ (to come, soonest first) and /events/past/ (newest first)."""

    context_object_name = "event_list"
    keyset_field = "start_at"
    past = False

    def get(self, request, *args, **kwargs):
        add_surrogate_keys(request, list_key(Event))
        if any(value == "" for value in request.GET.values()):
            # "Any topic" is sent as topic=: drop empty filters so the address stays short.
            kept = request.GET.copy()
            for key in [key for key, value in request.GET.items() if value == ""]:
                del kept[key]
            return redirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)
        self.keyset_ascending = not self.past
        self.filters = EventFilterForm(request.GET or None, months=self._months())
        self.filters_valid = not self.filters.is_bound or self.filters.is_valid()
        response = super().get(request, *args, **kwargs)
        if not self.filters_valid:
            response.status_code = 400
        return response

    def _listed(self):
        events = Event.objects.live()
        return events.past() if self.past else events.upcoming()

    def _months(self):
        # Two ends of the index, not every event's month.
        span = self._listed().aggregate(first=Min("start_at"), last=Max("start_at"))
        if span["first"] is None:
            return []
        return months_between(span["first"], span["last"], newest_first=self.past)

    def get_queryset(self):
        events = (
            self._listed()
            .only(*CARD_FIELDS)
            .prefetch_related(Prefetch("topics", Topic.objects.live().only("name", "slug")))
        )
        if not self.filters_valid:
            return events.none()
        cleaned = self.filters.cleaned_data if self.filters.is_bound else {}
        if topic := cleaned.get("topic"):
            events = events.filter(topics=topic)
        if fmt := cleaned.get("format"):
            events = events.filter(format=fmt)
        if month := cleaned.get("month"):
            start, end = month_bounds(month)
            events = events.filter(start_at__gte=start, start_at__lt=end)
        return events

    def get_context_data(self, **kwargs):
        cleaned = self.filters.cleaned_data if self.filters.is_bound and self.filters_valid else {}
        topic = cleaned.get("topic")
        heading = "Past events" if self.past else "Events"
        meta_title = heading + (f": {topic.name}" if topic else "")
        description = (
            f"{'Past webinars' if self.past else 'Webinars'}, briefings and workshops from "
            f"{settings.SITE_NAME}" + (f" on {topic.name}" if topic else "") + "."
        )
        return self.keyset_context(
            meta_title=meta_title,
            description=description,
            heading=heading,
            past=self.past,
            topic=topic,
            feed_url=webcal_url(fixed_url("events:calendar")),
            topic_feed_url=topic and webcal_url(slug_url("events:topic-calendar", topic.slug)),
            list_url=fixed_url("events:past" if self.past else "events:index"),
            breadcrumbs=breadcrumbs(
                [("Home", fixed_url("home"))],
                (heading, fixed_url("events:past" if self.past else "events:index")),
            ),
            **kwargs,
        )


class EventDetailView(PublishableDetailMixin, DetailView):
    model = Event

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("image")
            .defer("search_vector", "joining_details")
            .prefetch_related(
                Prefetch("files", EventFile.objects.only(*FILE_COLUMNS), to_attr="attached_files"),
                Prefetch(
                    "related_opportunity",
                    Opportunity.objects.live().only(*OPPORTUNITY_COLUMNS),
                    to_attr="live_opportunity",
                ),
                Prefetch("topics", Topic.objects.live().only("name", "slug")),
                Prefetch("speakers", queryset=_active_contacts()),
                Prefetch(
                    "related_posts",
                    Post.objects.live().only("title", "slug", "publish_at"),
                    to_attr="live_related_posts",
                ),
            )
        )

    def get_context_data(self, **kwargs):
        event = self.object
        topics = list(event.topics.all())
        speakers = list(event.speakers.all())
        related = getattr(event, "live_related_posts", [])
        # Shown only while readers may see it: a withdrawn opportunity drops off the page.
        opportunity = getattr(event, "live_opportunity", None)
        add_surrogate_keys(
            self.request,
            event,
            speakers,
            related,
            [opportunity] if opportunity else [],
            [topic.surrogate_key for topic in topics],
        )
        picture = share_image(event.image)
        full = event.registration_here and services.is_full(event)
        return super().get_context_data(
            topics=topics,
            speakers=speakers,
            related_posts=related,
            opportunity=opportunity,
            attached_files=getattr(event, "attached_files", []),
            share_image=picture,
            json_ld=event_json_ld(event, speakers, picture, full=full),
            registration_closed=event.registration_here and event.registration_closed_reason(),
            registration_full=full,
            google_url=google_calendar_url(event),
            outlook_url=outlook_calendar_url(event),
            breadcrumbs=breadcrumbs(
                [("Home", fixed_url("home")), ("Events", fixed_url("events:index"))],
                (event.title, event.get_absolute_url()),
            ),
            **kwargs,
        )


def _active_contacts():
    return Contact.objects.active().only("name", "slug", "job_title", "is_active")


class EventFileView(PublishableDetailMixin, DetailView):
    """/events/<slug>/files/<pk>/: an event's slides or recording, as an attachment.

    Reached only through the event, so a file is served while readers may see its event (an
    editor's preview too, never cached); its type is the one checked on upload, with nosniff.
    """

    model = Event
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        event = self.get_object()
        attached = get_object_or_404(EventFile, event=event, pk=kwargs["file_pk"])
        attached.event = event
        try:
            handle = attached.file.open("rb")
        except (FileNotFoundError, ValueError, OSError) as exc:
            raise Http404("This file is not available.") from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attached.download_filename(),
            content_type=attached.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        add_surrogate_keys(request, event)
        if not event.is_live:
            add_never_cache_headers(response)
        return response


class EventCalendarView(PublishableDetailMixin, DetailView):
    """/events/<slug>/calendar.ics: the event as a file any calendar app imports."""

    model = Event
    http_method_names = ["get", "head"]

    def render_to_response(self, context, **kwargs):
        event = self.object
        add_surrogate_keys(self.request, event)
        response = HttpResponse(event_calendar(event), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{event.slug}.ics"
        )
        if not event.is_live:
            add_never_cache_headers(response)
        return response


# A feed lists what is to come and what ended lately (a subscribed calendar keeps what it
# already has): bounded, so it costs the same however many events the site has held.
FEED_PAST = timedelta(days=90)
FEED_MAX = 500
# A built feed is kept at most this long (a fingerprint change replaces it sooner).
FEED_CACHE_SECONDS = 60 * 60


def calendar_feed(request, slug=None):
    """/events/calendar.ics, and /events/topics/<slug>/calendar.ics for one topic.

    Building a VEVENT costs about a millisecond in the icalendar library, so a feed of 500
    events is kept, built, in the cache under a fingerprint of what it lists (how many, their
    ids, their latest change and their sequences): one aggregate query finds whether the
    stored one still stands, and any change to a listed event, or one joining or leaving the
    feed, makes a new fingerprint.
    """
    topic = None
    events = Event.objects.live().upcoming(now=timezone.now() - FEED_PAST)
    if slug is not None:
        topic = get_object_or_404(Topic.objects.live().only("name", "slug"), slug=slug)
        events = events.filter(topics=topic)
        add_surrogate_keys(request, topic.surrogate_key)
    add_surrogate_keys(request, list_key(Event))
    name = f"{settings.SITE_NAME} events" + (f": {topic.name}" if topic else "")
    host = urlsplit(settings.SITE_URL).hostname or "ktnsite"
    uid = f"events-{topic.slug if topic else 'all'}@{host}"
    seen = events.aggregate(
        count=Count("pk"), ids=Sum("pk"), changed=Max("updated_at"), sequences=Sum("sequence")
    )
    fingerprint = hashlib.sha256(f"{uid}|{name}|{sorted(seen.items())}".encode()).hexdigest()
    key = f"events:feed:{fingerprint}"
    body = cache.get(key)
    if body is None:
        listed = events.defer("body", "joining_details", "search_vector").order_by("start_at", "pk")
        body = calendar(listed[:FEED_MAX], name=name, uid=uid)
        cache.set(key, body, FEED_CACHE_SECONDS)
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"{topic.slug if topic else 'events'}.ics"
    )
    return response
