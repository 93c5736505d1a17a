"""App configuration for events."""

from datetime import timedelta

from django.apps import AppConfig


def send_event_reminders_job():
    from events import services

    return {"reminders": services.reminders_send()}


def purge_registrations_job():
    from events import services

    return {"deleted": services.registrations_purge()}


class EventsConfig(AppConfig):
    name = "events"

    def ready(self):
        from django.db.models import Max
        from django.db.models.signals import post_delete

        from caching.frontcache import declare_public
        from events.models import SHORT_FIELDS, Event, EventFile, event_file_deleted
        from opportunities.models import Opportunity
        from publishing.backlinks import register_backlinks
        from publishing.registry import SearchSpec, SitemapSpec, declare_content_type
        from scheduling import register_job

        register_job(
            "send_event_reminders",
            send_event_reminders_job,
            every=timedelta(minutes=5),
            description="Owes each person with a place at an event within 24 hours its reminder.",
        )
        register_job(
            "purge_registrations",
            purge_registrations_job,
            every=timedelta(days=1),
            at=timedelta(hours=3, minutes=20),
            description="Deletes registrations EVENTS_REGISTRATION_RETENTION_DAYS after the event.",
        )

        # What an event is to the site, said once: the link chooser (/go/event/<id>/), the
        # front cache (events are on the events lists and feeds and on their topics' pages),
        # search, the sitemap and topic alerts all read this.
        events = declare_content_type(
            Event,
            kind="event",
            label="Event",
            plural_label="Events",
            view_name="events:detail",
            index_view_name="events:index",
            list_key="events",
            topics_field="topics",
            search=SearchSpec(
                text_fields=("standfirst", "body", "venue_name"),
                html_fields=("body",),
                word_fields=("title", "standfirst"),
            ),
            sitemap=SitemapSpec(
                changefreq="weekly",
                items=lambda: (
                    Event.objects.live()
                    .only("slug", "publish_at", "updated_at")
                    .order_by("-start_at", "-pk")
                ),
                # Its page changes with its status and times (the row's save), not only its
                # publication.
                lastmod=lambda event: event.updated_at,
                index_lastmod=lambda: Event.objects.live().aggregate(last=Max("updated_at"))[
                    "last"
                ],
            ),
            alerts=True,
            # Its alert says when and where it happens, not when it was published.
            alert_facts=Event.alert_facts,
            order=25,
        )
        post_delete.connect(event_file_deleted, sender=EventFile, dispatch_uid="events.file")
        # Slides and recordings show on their event's page: a change purges it.
        declare_public(EventFile, keys=lambda attached: [events.key_for_pk(attached.event_id)])
        # An opportunity's page lists the events about it (a briefing), soonest first; events
        # stand above opportunities, so the query is registered here (publishing.backlinks).
        register_backlinks(
            Opportunity,
            lambda opportunity: (
                Event.objects.live()
                .filter(related_opportunity=opportunity)
                .only(*SHORT_FIELDS)
                .order_by("start_at", "pk")
            ),
            source=Event,
            name="events",
        )
