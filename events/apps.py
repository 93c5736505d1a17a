"""App configuration for events."""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self):
        from events.models import Event
        from publishing.links import register_link_kind

        # Body links to events are found by the link chooser and checked before publishing.
        register_link_kind(
            "event",
            label="Event",
            model=Event,
            view_name="events:detail",
            visible=Event.objects.live,
        )
