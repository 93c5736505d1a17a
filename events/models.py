"""Event: a webinar, briefing or workshop, with its time in UK time, place, speakers and status."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify

from contacts.models import Contact
from events import files, timing
from news.models import Post
from opportunities.models import Opportunity
from outbox.delivery import Outbox
from publishing.addresses import slug_url
from publishing.models import Publishable, PublishableQuerySet
from publishing.richtext import RichTextField
from publishing.search import search_vector_field

# What a calendar shows of an event: a change to any of these raises its SEQUENCE, so
# subscribed calendars (Google, Outlook, Apple) replace their copy instead of keeping it.
CALENDAR_FIELDS = (
    "title", "standfirst", "start_at", "end_at", "event_status", "previous_start_at",
    "format", "venue_name", "venue_address", "registration_url", "slug",
)  # fmt: skip

# What includes/event_card.html shows, for lists to read no other column.
CARD_FIELDS = (
    "title", "slug", "publish_at", "standfirst", "start_at", "end_at", "event_status",
    "previous_start_at", "format", "venue_name",
)  # fmt: skip

# What a short list of events shows (home page, topic hubs: includes/event_line.html).
SHORT_FIELDS = (
    "title", "slug", "publish_at", "start_at", "end_at", "event_status", "previous_start_at",
)  # fmt: skip

UK_TIME_HELP = "UK time (Europe/London: GMT in winter, BST in summer)."


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    POSTPONED = "postponed", "Postponed (no new date yet)"
    RESCHEDULED = "rescheduled", "Rescheduled (moved to a new date)"


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid (in person and online)"


# The longest an event may last: a series of weeks is entered as one event per session. It
# bounds where the lists start reading the start-time index (EventQuerySet.upcoming).
MAX_DURATION = timedelta(days=31)


class EventQuerySet(PublishableQuerySet):
    """Publishable's live() and friends, plus upcoming and past by the event's own time.

    Both lists are read in start order; each also names the start times it can hold (an event
    still to end began at most MAX_DURATION ago; one that ended began before now), so the
    database reads the start-time index from there instead of stepping over every event on
    the other side of today (5,000 events: 6.5 ms down to well under 1 ms a query).
    """

    def upcoming(self, now=None):
        """Not yet ended: an event under way is still upcoming (readers may join it)."""
        now = now or timezone.now()
        return self.filter(end_at__gt=now, start_at__gt=now - MAX_DURATION)

    def past(self, now=None):
        now = now or timezone.now()
        return self.filter(end_at__lte=now, start_at__lt=now)

    def coming_changes(self):
        """When pages showing live events next change by the clock alone: an event starts
        ("happening now") or ends (it moves to the past list, its page says it has
        happened), or its registration closes. The page cache keeps no page past the first of them
        (caching.pagecache), so no cron purges anything at those moments."""
        now = timezone.now()
        live = self.live()
        return [
            live.filter(start_at__gt=now).order_by().values_list("start_at", flat=True),
            live.filter(end_at__gt=now).order_by().values_list("end_at", flat=True),
            # Registration closing takes the Register button away.
            live.filter(registration_closes_at__gt=now)
            .order_by()
            .values_list("registration_closes_at", flat=True),
        ]


class Event(Publishable):
    standfirst = models.TextField(
        max_length=600,
        help_text="One or two sentences on what the event is and who it is for, shown in lists.",
    )
    body = RichTextField(blank=True, help_text="What happens, who should come, the agenda.")
    image = models.ForeignKey(
        "library.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="used_by_events",
        help_text="Choose a picture from the library or upload one; its alt text is kept there.",
    )
    start_at = models.DateTimeField("starts", db_index=True, help_text=UK_TIME_HELP)
    end_at = models.DateTimeField("ends", help_text=UK_TIME_HELP)
    event_status = models.CharField(
        "event status",
        max_length=12,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        help_text="Shown on the page, in lists and in calendars. To move an event, choose "
        "Rescheduled and change its times: the old date is kept and shown as “Moved from …”.",
    )
    previous_start_at = models.DateTimeField(
        "moved from",
        null=True,
        blank=True,
        help_text="The date it was first announced for; filled in by itself when a "
        "rescheduled event's start changes. " + UK_TIME_HELP,
    )
    format = models.CharField(
        max_length=10, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    venue_name = models.CharField("venue", max_length=200, blank=True)
    venue_address = models.TextField(
        "venue address", max_length=500, blank=True, help_text="One line per line of the address."
    )
    joining_details = models.TextField(
        "online joining details",
        max_length=2000,
        blank=True,
        help_text="The meeting link and any code. Never shown on the public page: it is for "
        "people who register.",
    )
    registration_url = models.URLField(
        "registration link",
        max_length=500,
        blank=True,
        help_text="Where readers register (an outside booking page), if registration is needed.",
    )
    organiser = models.CharField(
        max_length=200, blank=True, help_text="Who runs it; leave empty for this site's name."
    )
    speakers = models.ManyToManyField(
        Contact, blank=True, related_name="events", help_text="Speakers from the contacts."
    )
    other_speakers = models.TextField(
        "other speakers",
        max_length=2000,
        blank=True,
        help_text="Speakers who are not contacts, one per line: “Name, role, organisation”.",
    )
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="events")
    related_posts = models.ManyToManyField(
        Post, blank=True, related_name="+", verbose_name="related posts"
    )
    # "+": opportunities must not reach events (pyproject.toml's contracts); an opportunity's
    # page finds its events through publishing.backlinks, registered in events.apps.
    related_opportunity = models.ForeignKey(
        Opportunity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="related funding opportunity",
        help_text="The funding opportunity this event is about (a competition briefing): its "
        "deadline is shown on the event's page, and the event on the opportunity's page.",
    )
    recording_url = models.URLField(
        "recording",
        max_length=500,
        blank=True,
        help_text="A link to the recording (YouTube, Vimeo...), shown once the event is over.",
    )
    registration_here = models.BooleanField(
        "take registrations on this site",
        default=False,
        help_text="Readers register here (name, email, organisation, accessibility needs); "
        "each gets a confirmation email with the calendar file and a link to cancel.",
    )
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Places, if limited. When they are taken, people join a waiting list, and a "
        "place given up goes to the first on it (by email).",
    )
    registration_closes_at = models.DateTimeField(
        "registration closes",
        null=True,
        blank=True,
        help_text="Leave empty to close registration when the event starts. " + "UK time.",
    )
    # Filled by a database trigger on PostgreSQL (see publishing.search).
    search_vector = search_vector_field()
    # Raised whenever what a calendar shows changes (CALENDAR_FIELDS): iCalendar's SEQUENCE.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    preview_links = GenericRelation("publishing.PreviewLink")

    objects = EventQuerySet.as_manager()

    class Meta(Publishable.Meta):
        ordering = ["start_at", "pk"]
        indexes = [
            # The lists: live events by the time they end (upcoming or past), then start.
            models.Index(fields=["status", "end_at", "start_at"], name="events_event_list_idx"),
        ]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(end_at__gt=models.F("start_at")),
                name="events_event_ends_after_start",
            ),
        ]
        permissions = [("publish_event", "Can publish events")]

    def get_absolute_url(self):
        return slug_url("events:detail", self.slug)

    def get_ics_url(self):
        return slug_url("events:ics", self.slug)

    def save(self, *args, **kwargs):
        if self.pk is not None and self._calendar_changed():
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)

    def _calendar_changed(self):
        stored = Event.objects.filter(pk=self.pk).values(*CALENDAR_FIELDS, "sequence").first()
        if stored is None:
            return False
        # Never below what is stored: a restored old version must still count as newer.
        self.sequence = max(self.sequence, stored["sequence"])
        return any(stored[name] != getattr(self, name) for name in CALENDAR_FIELDS)

    # What readers see of its time and status.

    @property
    def when(self):
        return timing.when_text(self.start_at, self.end_at)

    @property
    def moved_from(self):
        if self.event_status != EventStatus.RESCHEDULED:
            return ""
        return timing.moved_from_text(self.previous_start_at, self.start_at)

    @property
    def has_ended(self):
        return self.end_at <= timezone.now()

    @property
    def is_under_way(self):
        return self.start_at <= timezone.now() < self.end_at

    @property
    def is_cancelled(self):
        return self.event_status == EventStatus.CANCELLED

    @property
    def is_postponed(self):
        return self.event_status == EventStatus.POSTPONED

    @property
    def status_label(self):
        """What the page and lists say, or "" for a plain scheduled event."""
        if self.event_status == EventStatus.CANCELLED:
            return "Cancelled"
        if self.event_status == EventStatus.POSTPONED:
            return "Postponed: new date to be announced"
        if self.event_status == EventStatus.RESCHEDULED:
            return f"Rescheduled. {self.moved_from}" if self.moved_from else "Rescheduled"
        return ""

    @property
    def is_online(self):
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def is_in_person(self):
        return self.format in (EventFormat.IN_PERSON, EventFormat.HYBRID)

    @property
    def organiser_name(self):
        return self.organiser or settings.SITE_NAME

    @property
    def address_lines(self):
        return [line.strip() for line in self.venue_address.splitlines() if line.strip()]

    @property
    def other_speaker_lines(self):
        return [line.strip() for line in self.other_speakers.splitlines() if line.strip()]

    @property
    def place_text(self):
        """One line for calendars: the venue and address, and/or "Online"."""
        parts = []
        if self.is_in_person:
            parts.extend(part for part in [self.venue_name, *self.address_lines] if part)
        if self.is_online:
            parts.append("Online")
        return ", ".join(parts)

    @property
    def where_text(self):
        """Where it happens, for readers of an alert: the venue and address, online, or both."""
        place = ", ".join(part for part in [self.venue_name, *self.address_lines] if part)
        if self.format == EventFormat.ONLINE:
            return "Online"
        if self.format == EventFormat.HYBRID:
            return f"{place}, and online" if place else "Online, and at a venue to be announced"
        return place or "Venue to be announced"

    def alert_facts(self):
        """What the mailing list's alert and digest say of it (publishing.registry's
        `alert_facts`): when, in UK time with the zone named, and where; and its status when
        it is not plainly scheduled. Its publication date would read as the event's."""
        facts = [("When", self.when), ("Where", self.where_text)]
        if self.status_label:
            facts.insert(0, ("Status", self.status_label))
        return facts

    # Registration on this site.

    @property
    def registration_closes(self):
        return self.registration_closes_at or self.start_at

    @property
    def registration_closes_text(self):
        return f"{timing.day(self.registration_closes)}, {timing.clock(self.registration_closes)}"

    def registration_closed_reason(self, now=None):
        """Why readers cannot register now, or "" when they can."""
        now = now or timezone.now()
        if not self.registration_here:
            return "Registration is not taken on this site."
        if self.event_status in (EventStatus.CANCELLED, EventStatus.POSTPONED):
            return f"This event is {self.get_event_status_display().split(' ')[0].lower()}."
        if self.end_at <= now:
            return "This event has happened."
        if self.registration_closes <= now:
            return "Registration has closed."
        return ""


class EventFileKind(models.TextChoices):
    SLIDES = "slides", "Slides"
    RECORDING = "recording", "Recording"
    HANDOUT = "handout", "Handout"


def event_file_upload_to(instance, filename):
    """events/files/<event id>/<slugified name>.<checked type>: nothing else of the upload's
    name survives, so no path or odd character from an editor's disk reaches storage."""
    file_type = instance.file_type or files.extension(filename) or "bin"
    return f"{EVENT_FILES_PREFIX}{instance.event_id}/{files.stored_name(filename, file_type)}"


# Served only through the event's download view, which checks that readers may see the event
# (ktnsite.views.media refuses these paths): a draft's slides are not fetchable by name.
EVENT_FILES_PREFIX = "events/files/"


def is_event_file(name):
    return name.startswith(EVENT_FILES_PREFIX)


class EventFile(models.Model):
    """Slides, a handout or a recording, attached by editors after the event, shown on its page
    as a download with its type and size."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10, choices=EventFileKind.choices)
    title = models.CharField(
        max_length=200, blank=True, help_text="What readers see; leave empty for the kind."
    )
    file = models.FileField(
        upload_to=event_file_upload_to,
        max_length=200,
        help_text="Slides or a handout: PDF, PowerPoint (.pptx), Word (.docx), Excel (.xlsx), "
        "OpenDocument (.odt, .ods) or CSV. A recording: an MP4 video. Checked by content.",
    )
    # Read from the file when it is uploaded (events.files.identify), never on a page request.
    file_type = models.CharField(max_length=10, editable=False)
    file_size = models.PositiveBigIntegerField(editable=False)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "event file (slides, recording)"
        verbose_name_plural = "event files (slides, recordings)"

    def __str__(self):
        return self.label

    @property
    def label(self):
        return self.title or self.get_kind_display()

    @property
    def facts(self):
        """What a reader needs before downloading, as GOV.UK puts it: "PDF, 2.3 MB"."""
        return f"{files.LABELS.get(self.file_type, self.file_type.upper())}, {filesizeformat(self.file_size)}"

    @property
    def content_type(self):
        return files.content_type_for(self.file_type)

    def download_filename(self):
        """A safe name for the saved file, made from the event's slug and this file's label."""
        return f"{self.event.slug}-{slugify(self.label)[:60] or self.kind}.{self.file_type}"


def event_file_deleted(sender, instance, **kwargs):
    """post_delete receiver: a removed file leaves storage too, once the delete is committed
    (a delete rolled back keeps its file). Slides taken down must not stay fetchable."""
    from django.db import transaction

    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class RegistrationState(models.TextChoices):
    PLACE = "place", "Has a place"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class Registration(models.Model):
    """One person registered for one event: a place, or a place on the waiting list."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(max_length=200)
    # Stored lower-cased: the same address registering twice is one registration.
    email = models.EmailField(max_length=254)
    organisation = models.CharField(max_length=200, blank=True)
    accessibility_needs = models.TextField(max_length=1000, blank=True)
    consent_text = models.TextField(help_text="The consent wording the person agreed to.")
    state = models.CharField(max_length=10, choices=RegistrationState.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="events_registration_once")
        ]
        permissions = [("export_registration", "Can export registrations as CSV")]

    def __str__(self):
        return f"{self.name} ({self.get_state_display().lower()})"


class RegistrationEmailKind(models.TextChoices):
    PLACE = "place", "Place confirmed"
    WAITING = "waiting", "On the waiting list"
    PROMOTED = "promoted", "Place freed and given"
    CANCELLED = "cancelled", "Cancellation confirmed"
    REMINDER = "reminder", "Reminder the day before"


class RegistrationEmail(Outbox):
    """An email a registration owes its person; sent through the outbox (stored first, sent
    once, retried), like every other email."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=10, choices=RegistrationEmailKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    outbox_sent_field = "sent_at"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "registration email"
        constraints = [
            # The day-before reminder is owed once, however often send_event_reminders runs.
            models.UniqueConstraint(
                fields=["registration"],
                condition=models.Q(kind="reminder"),
                name="events_registrationemail_one_reminder",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to registration {self.registration_id}"

    def outbox_send(self, *, connection=None):
        from events.mail import registration_email_send  # mail imports this module

        registration_email_send(email=self, connection=connection)

    @classmethod
    def outbox_rows(cls, queryset):
        return queryset.select_related("registration__event")
