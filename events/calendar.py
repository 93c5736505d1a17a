"""Events as iCalendar (RFC 5545), built with the icalendar library, and "add to calendar" links.

Times are written in Europe/London with its VTIMEZONE in the file (never floating times, which
each calendar would read in its own zone). Each event keeps one UID for life, so a subscribed
calendar updates its copy; SEQUENCE rises with every change a calendar shows
(`Event.sequence`), and a cancelled event stays in the feed with STATUS:CANCELLED, so
calendars that had it strike it out rather than keep it.
"""

from datetime import UTC, date, timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.utils.html import strip_tags
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import EventStatus
from publishing.sharing import absolute_url
from publishing.uktime import LONDON

CONTENT_TYPE = "text/calendar; charset=utf-8"
# How often subscribed calendars should fetch a feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH = timedelta(hours=6)

STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.RESCHEDULED: "CONFIRMED",
    EventStatus.POSTPONED: "TENTATIVE",
    EventStatus.CANCELLED: "CANCELLED",
}


def event_uid(event):
    """Stable for the event's life: its id (never its slug or title, which may change)."""
    host = urlsplit(settings.SITE_URL).hostname or "ktnsite"
    return f"event-{event.pk}@{host}"


def _description(event):
    parts = [event.standfirst]
    if event.status_label:
        parts.insert(0, event.status_label)
    if event.registration_url:
        parts.append(f"Register: {event.registration_url}")
    parts.append(f"Details: {absolute_url(event.get_absolute_url())}")
    return "\n\n".join(part for part in parts if part)


def _calendar_time(moment):
    """`moment` in Europe/London, or in UTC when that UK time happens twice.

    When the clocks go back, 01:30 comes twice (BST, then GMT). RFC 5545 says a TZID time
    that occurs twice means the first, but calendar programs differ (vobject takes the
    second); a time in UTC means one instant to every one of them.
    """
    local = moment.astimezone(LONDON)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


def calendar_event(event):
    """One VEVENT for `event` (a live event)."""
    item = CalendarEvent.new(
        uid=event_uid(event),
        summary=("Cancelled: " if event.is_cancelled else "") + event.title,
        start=_calendar_time(event.start_at),
        end=_calendar_time(event.end_at),
        stamp=event.updated_at.astimezone(UTC),
        last_modified=event.updated_at.astimezone(UTC),
        sequence=event.sequence,
        status=STATUS[event.event_status],
        description=_description(event),
        url=absolute_url(event.get_absolute_url()),
        location=event.place_text or None,
    )
    return item


def calendar(events, *, name, uid):
    """A VCALENDAR of `events`, with the Europe/London VTIMEZONE covering their dates."""
    feed = Calendar.new(
        prodid=f"-//{settings.SITE_NAME}//Events//EN",
        name=name,
        uid=uid,
        method="PUBLISH",
        refresh_interval=REFRESH,
    )
    feed.add("X-PUBLISHED-TTL", REFRESH)
    years = []
    for event in events:
        feed.add_component(calendar_event(event))
        years += [event.start_at.year, event.end_at.year]
    if years:
        # Only the years the events need: the zone's full history would be 5 KB.
        feed.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
        )
    return feed.to_ical()


def event_calendar(event):
    """The .ics download of one event."""
    return calendar([event], name=event.title, uid=f"{event_uid(event)}-calendar")


def webcal_url(path):
    """The feed's subscribe address: webcal:// asks the reader's calendar app to subscribe."""
    parts = urlsplit(absolute_url(path))
    return urlunsplit(("webcal", *parts[1:]))


def _plain(event):
    text = event.standfirst
    return f"{text}\n\n{absolute_url(event.get_absolute_url())}"


def google_calendar_url(event):
    """Google Calendar's "add event" page, filled in (its times in UTC, which it converts)."""
    stamp = "%Y%m%dT%H%M%SZ"
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{event.start_at.astimezone(UTC):{stamp}}/{event.end_at.astimezone(UTC):{stamp}}",
        "details": _plain(event),
        "location": event.place_text,
        "ctz": "Europe/London",
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(event):
    """Outlook on the web's "new event" page, filled in."""
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": f"{event.start_at.astimezone(UTC):{stamp}}",
        "enddt": f"{event.end_at.astimezone(UTC):{stamp}}",
        "body": strip_tags(_plain(event)),
        "location": event.place_text,
    }
    return "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(query)
