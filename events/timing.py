"""When an event happens, in words: UK time with the zone named (GMT or BST) on each time shown.

Times are stored in UTC and shown in Europe/London. Each time carries its own zone, so an
event across the clocks going forward reads "00:30 GMT to 02:30 BST" (two hours, not one),
and one across midnight names both days.
"""

from datetime import datetime

from publishing.uktime import clock, uk_time


def day(moment, year=True):
    """Tuesday 3 March 2026 (UK date)."""
    local = uk_time(moment)
    return f"{local:%A} {local.day} {local:%B}" + (f" {local.year}" if year else "")


def short_day(moment, year=False):
    """3 March, or 3 March 2026: "Moved from 3 March"."""
    local = uk_time(moment)
    return f"{local.day} {local:%B}" + (f" {local.year}" if year else "")


def when_text(start, end):
    """ "Tuesday 3 March 2026, 10am to 11:30am GMT", naming both days when it runs past midnight.

    The zone is written once when both ends share it, after each time when they differ (an
    event across a change of the clocks).
    """
    start_local, end_local = uk_time(start), uk_time(end)
    if start_local.date() == end_local.date():
        if start_local.tzname() == end_local.tzname():
            first = clock(start).rsplit(" ", 1)[0]
            return f"{day(start)}, {first} to {clock(end)}"
        return f"{day(start)}, {clock(start)} to {clock(end)}"
    same_year = start_local.year == end_local.year
    return f"{day(start, year=not same_year)}, {clock(start)} to {day(end)}, {clock(end)}"


def moved_from_text(previous_start, start):
    """ "Moved from 3 March" (the year too when the new date is in another year)."""
    if previous_start is None:
        return ""
    same_year = start is None or uk_time(previous_start).year == uk_time(start).year
    return f"Moved from {short_day(previous_start, year=not same_year)}"


def iso_with_offset(moment):
    """2026-03-03T10:00:00+00:00: the UK time with its offset, as schema.org wants it."""
    return uk_time(moment).isoformat() if isinstance(moment, datetime) else ""
