"""Admin for events: the publishing rules of posts, plus the event's time, place and status."""

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from events.forms import EventAdminForm, EventFileAdminForm
from events.models import Event, EventFile, Registration, RegistrationEmail, RegistrationState
from events.timing import uk_time
from outbox.admin import OutboxAdminMixin
from publishing.admin import ListInputMixin, PublishableAdmin, StateFilter
from publishing.csvexport import csv_cell


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    form = EventAdminForm
    list_display = [
        "title", "starts", "event_status", "format", "state", "topic_names", "thumbnail",
    ]  # fmt: skip
    list_filter = [StateFilter, "event_status", "format", "topics"]
    search_fields = ["title", "standfirst", "body", "venue_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["speakers", "related_posts", "related_opportunity"]
    date_hierarchy = "start_at"
    image_field = "image"
    readonly_fields = ["sequence", "registrations"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        (
            "When",
            {
                "fields": ["start_at", "end_at", "event_status", "previous_start_at"],
                "description": "Enter times in UK time (GMT in winter, BST in summer); they "
                "are shown to readers the same way, with the zone named.",
            },
        ),
        (
            "Where",
            {
                "fields": ["format", "venue_name", "venue_address", "joining_details"],
            },
        ),
        (
            "Registration",
            {
                "fields": [
                    "registration_url",
                    "registration_here",
                    "capacity",
                    "registration_closes_at",
                    "registrations",
                ],  # fmt: skip
                "description": "Either a link to an outside booking page, or registration "
                "here (with an optional capacity and a waiting list).",
            },
        ),
        ("People", {"fields": ["organiser", "speakers", "other_speakers"]}),
        ("Image", {"fields": ["image"]}),
        ("Links", {"fields": ["topics", "related_opportunity", "related_posts"]}),
        ("After the event", {"fields": ["recording_url"]}),
        ("Publishing", {"fields": ["status", "publish_at", "expire_at", "sequence"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description="registrations")
    def registrations(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        counts = {
            state: obj.registrations.filter(state=state).count()
            for state in (RegistrationState.PLACE, RegistrationState.WAITING)
        }
        url = reverse("admin:events_registration_changelist") + f"?event__id__exact={obj.pk}"
        return format_html(
            '<a href="{}">{} with a place, {} waiting</a>',
            url,
            counts[RegistrationState.PLACE],
            counts[RegistrationState.WAITING],
        )

    @admin.display(description="starts (UK time)", ordering="start_at")
    def starts(self, obj):
        return f"{uk_time(obj.start_at):%d/%m/%Y %H:%M %Z}"


@admin.register(EventFile)
class EventFileAdmin(admin.ModelAdmin):
    """Slides, handouts and recordings attached after an event, shown on its page."""

    form = EventFileAdminForm
    list_display = ["__str__", "event", "kind", "facts", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title"]
    autocomplete_fields = ["event"]
    readonly_fields = ["facts"]
    fields = ["event", "kind", "title", "file", "facts", "position"]

    @admin.display(description="type and size")
    def facts(self, obj):
        return obj.facts if obj.pk else "Read from the file when it is uploaded."


@admin.register(Registration)
class RegistrationAdmin(ListInputMixin, admin.ModelAdmin):
    """Who registered for which event. Read only: people register and cancel themselves."""

    list_display = ["name", "email", "organisation", "event", "state", "created_at"]
    list_filter = ["state", "event"]
    search_fields = ["name", "email", "organisation"]
    list_select_related = ["event"]
    readonly_fields = [
        "event", "name", "email", "organisation", "accessibility_needs", "consent_text",
        "state", "created_at", "changed_at",
    ]  # fmt: skip
    actions = ["export_csv"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_export_permission(self, request):
        return request.user.has_perm("events.export_registration")

    @admin.action(description="Export selected registrations as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = f"{timezone.localtime():%Y-%m-%d}"
        response["Content-Disposition"] = f'attachment; filename="registrations-{stamp}.csv"'
        response["Cache-Control"] = "private, no-store"
        writer = csv.writer(response)
        writer.writerow(
            ["event", "name", "email", "organisation", "accessibility needs", "state", "registered"]
        )
        for row in queryset.select_related("event").order_by("event_id", "created_at", "pk"):
            values = [
                row.event.title, row.name, row.email, row.organisation, row.accessibility_needs,
                row.get_state_display(), f"{timezone.localtime(row.created_at):%d/%m/%Y %H:%M}",
            ]  # fmt: skip
            writer.writerow([csv_cell(value) for value in values])
        return response


@admin.register(RegistrationEmail)
class RegistrationEmailAdmin(OutboxAdminMixin, admin.ModelAdmin):
    """Emails owed to people who registered; retry the failed ones."""

    list_display = ["registration", "kind", "state", "attempts", "next_attempt_at", "created_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["registration"]
    readonly_fields = [
        "registration", "kind", "state", "attempts", "last_error", "next_attempt_at",
        "created_at", "claimed_at", "sent_at",
    ]  # fmt: skip
