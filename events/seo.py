"""What an event page tells search engines: schema.org Event, with its status and place."""

from events.models import EventStatus
from events.timing import iso_with_offset
from publishing.addresses import slug_url
from publishing.sharing import absolute_url, publisher

SCHEMA_STATUS = {
    EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    EventStatus.RESCHEDULED: "https://schema.org/EventRescheduled",
}
ATTENDANCE = {
    "in_person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}


def _locations(event, url):
    places = []
    if event.is_in_person:
        place = {"@type": "Place", "name": event.venue_name}
        if event.address_lines:
            place["address"] = {
                "@type": "PostalAddress",
                "streetAddress": ", ".join(event.address_lines),
                "addressCountry": "GB",
            }
        places.append(place)
    if event.is_online:
        # The joining link is for people who register, never the public page: the event's
        # own page stands for it.
        places.append({"@type": "VirtualLocation", "url": event.registration_url or url})
    return places[0] if len(places) == 1 else places


def event_json_ld(event, speakers=(), image=None, full=False):
    """schema.org Event for the event page (Google's event rich results read these fields)."""
    url = absolute_url(event.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.standfirst,
        "url": url,
        "startDate": iso_with_offset(event.start_at),
        "endDate": iso_with_offset(event.end_at),
        "eventStatus": SCHEMA_STATUS[event.event_status],
        "eventAttendanceMode": ATTENDANCE[event.format],
        "location": _locations(event, url),
        "organizer": (
            {"@type": "Organization", "name": event.organiser} if event.organiser else publisher()
        ),
    }
    if event.event_status == EventStatus.RESCHEDULED and event.previous_start_at:
        data["previousStartDate"] = iso_with_offset(event.previous_start_at)
    performers = [
        {"@type": "Person", "name": contact.name, "url": absolute_url(contact.get_absolute_url())}
        for contact in speakers
    ] + [{"@type": "Person", "name": line.split(",")[0]} for line in event.other_speaker_lines]
    if performers:
        data["performer"] = performers
    register_url = event.registration_url or (
        event.registration_here and absolute_url(slug_url("events:register", event.slug))
    )
    if register_url:
        # The agency's events are free; the offer says where to register, and whether
        # places are left (a full event takes names for its waiting list).
        data["offers"] = {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "GBP",
            "url": register_url,
            "availability": f"https://schema.org/{'SoldOut' if full else 'InStock'}",
        }
    if image is not None:
        data["image"] = [image.url]
    return data
