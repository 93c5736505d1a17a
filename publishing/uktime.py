"""UK time in words, as GOV.UK writes it: "9am GMT", "1:30pm BST", "midday", "midnight".

Times are stored in UTC and shown in Europe/London with the zone named on each, so a time on
either side of a change of the clocks is never ambiguous. Events and funding opportunities
both say their times this way.
"""

from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def uk_time(moment):
    """`moment` (aware) in Europe/London."""
    return moment.astimezone(LONDON)


def clock(moment):
    """GOV.UK style: 9am, 1:30pm, midday, midnight; in UK time with its zone (GMT or BST)."""
    local = uk_time(moment)
    if local.hour == 0 and local.minute == 0:
        words = "midnight"
    elif local.hour == 12 and local.minute == 0:
        words = "midday"
    else:
        hour = local.hour % 12 or 12
        minutes = f":{local.minute:02d}" if local.minute else ""
        words = f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"
    return f"{words} {local.tzname()}"
