"""Admin for events: the publishing rules of posts, plus the event's time, place and status."""

from django.contrib import admin

from events.forms import EventAdminForm
from events.models import Event
from events.timing import uk_time
from publishing.admin import PublishableAdmin, StateFilter


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    form = EventAdminForm
    list_display = [
        "title",
        "starts",
        "event_status",
        "format",
        "state",
        "topic_names",
        "thumbnail",
    ]
    list_filter = [StateFilter, "event_status", "format", "topics"]
    search_fields = ["title", "standfirst", "body", "venue_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["speakers", "related_posts"]
    date_hierarchy = "start_at"
    image_field = "image"
    readonly_fields = ["sequence"]
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
                "fields": [
                    "format",
                    "venue_name",
                    "venue_address",
                    "joining_details",
                    "registration_url",
                ],  # fmt: skip
            },
        ),
        ("People", {"fields": ["organiser", "speakers", "other_speakers"]}),
        ("Image", {"fields": ["image"]}),
        ("Links", {"fields": ["topics", "related_posts"]}),
        ("After the event", {"fields": ["recording_url"]}),
        ("Publishing", {"fields": ["status", "publish_at", "expire_at", "sequence"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description="starts (UK time)", ordering="start_at")
    def starts(self, obj):
        return f"{uk_time(obj.start_at):%d/%m/%Y %H:%M %Z}"
