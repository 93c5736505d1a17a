"""Demo events, dated around the day load_demo runs: to come, moved, cancelled and past."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from publishing.uktime import LONDON


def _at(days, hour, minute=0):
    """A UK time `days` from today (negative: in the past)."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def demo_events():
    """The events load_demo adds, as model fields plus topics, speakers and (places, waiting)
    registrations by made-up people."""
    return [
        {
            "title": "Medicines Manufacturing Challenge: competition briefing",
            "slug": "medicines-manufacturing-competition-briefing",
            "standfirst": "An online briefing on the next funding round: scope, eligibility, "
            "how to apply, and your questions answered live.",
            "body": "<h2>Agenda</h2><ul><li>10:00 Welcome</li><li>10:10 The scope of the "
            "competition</li><li>10:40 How to apply</li><li>11:00 Questions</li></ul>",
            "start_at": _at(12, 10),
            "end_at": _at(12, 11, 30),
            "format": "online",
            "joining_details": "The joining link is emailed to registered people.",
            "registration_url": "https://www.eventbrite.co.uk/",
            "related_opportunity": "medicines-manufacturing-innovation-fund",
            "topics": ["medicines-manufacturing"],
            "speakers": ["karen-wilkinson"],
        },
        {
            "title": "Continuous manufacturing workshop",
            "slug": "continuous-manufacturing-workshop",
            "standfirst": "A hands-on day with process engineers: bring a problem from your own "
            "line. In Leeds, and online for the morning talks.",
            "body": "<p>The morning talks are streamed; the afternoon is in the room only.</p>",
            "start_at": _at(26, 9, 30),
            "end_at": _at(26, 16),
            "format": "hybrid",
            "venue_name": "Nexus, University of Leeds",
            "venue_address": "Discovery Way\nLeeds\nLS2 3AA",
            "registration_here": True,
            "capacity": 20,
            "registrations": (17, 0),  # a few seats left
            "joining_details": "Teams link: https://teams.example.com/l/meetup-join/demo",
            "other_speakers": "Priya Shah, process engineer, CPI",
            "topics": ["medicines-manufacturing"],
        },
        {
            "title": "Net zero supply chains: briefing moved",
            "slug": "net-zero-supply-chains-briefing",
            "standfirst": "Moved by a week so that the new guidance can be covered.",
            "start_at": _at(40, 14),
            "end_at": _at(40, 15),
            "previous_start_at": _at(33, 14),
            "event_status": "rescheduled",
            "format": "online",
            "registration_here": True,
            "capacity": 12,
            "registrations": (12, 3),  # full, three on the waiting list
            "topics": ["net-zero"],
        },
        {
            "title": "Regional innovation roadshow: Cardiff",
            "slug": "regional-innovation-roadshow-cardiff",
            "standfirst": "This stop of the roadshow is cancelled; the online session stands.",
            "start_at": _at(19, 13),
            "end_at": _at(19, 17),
            "event_status": "cancelled",
            "format": "in_person",
            "venue_name": "Tramshed Tech",
            "venue_address": "Pendyris Street\nCardiff\nCF11 6BH",
        },
        {
            "title": "Webinar: lessons from the impact report",
            "slug": "webinar-lessons-from-the-impact-report",
            "standfirst": "The team behind the Medicines Manufacturing impact report on what "
            "worked. Watch the recording.",
            "start_at": _at(-21, 12),
            "end_at": _at(-21, 13),
            "format": "online",
            "recording_url": "https://www.youtube.com/",
            # (title, pages): PDF slides attached after the event.
            "slides": (
                "Slides: lessons from the impact report",
                [["Lessons from the impact report"], ["What worked"], ["What comes next"]],
            ),
            "topics": ["medicines-manufacturing"],
            "speakers": ["karen-wilkinson"],
        },
    ]
