"""An opportunity's deadline as an iCalendar file, for "Add the deadline to my calendar"."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Alarm, Calendar, Event

from opportunities.deadlines import london
from publishing.sharing import absolute_url

# Calendars remind the reader this long before the deadline.
ALARM_BEFORE = timedelta(days=1)


def deadline_calendar(opportunity):
    """A VCALENDAR with one VEVENT at the closing time, in Europe/London with its VTIMEZONE
    (so a calendar in any zone shows the right moment, across clock changes)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Funding opportunities//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    # Stable per opportunity: adding it again updates the same event instead of a copy.
    event.add("uid", f"opportunity-{opportunity.pk}-deadline@{host}")
    event.add("summary", f"Deadline: {opportunity.title}")
    event.add("dtstart", london(opportunity.closes_at))
    event.add("dtend", london(opportunity.closes_at))
    event.add("dtstamp", opportunity.updated_at)
    url = absolute_url(opportunity.get_absolute_url())
    event.add("url", url)
    event.add(
        "description",
        f"Applications to {opportunity.funder} for “{opportunity.title}” close at this time. "
        f"Details: {url}",
    )
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Deadline tomorrow: {opportunity.title}")
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
