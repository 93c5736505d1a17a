"""An opportunity's state from its dates (upcoming, open, closing soon, closed) and how readers see them.

The state is never stored: it is worked out from `opens_at` and `closes_at` against the
time of the request, so it changes at the exact minute with no cron. The page cache knows
the next such minute (`next_state_change`) and keeps no page past it.
"""

from datetime import UTC, datetime, time, timedelta

from django.db import models

from publishing.uktime import LONDON, clock, uk_time

# An open opportunity is "closing soon" in its last week, and its line counts the days.
CLOSING_SOON = timedelta(days=7)


class State(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open"
    CLOSING_SOON = "closing-soon", "Closing soon"
    CLOSED = "closed", "Closed"


def state_at(opens_at, closes_at, now):
    """The state at `now`: open from the opening minute, closed from the closing minute."""
    if now < opens_at:
        return State.UPCOMING
    if now >= closes_at:
        return State.CLOSED
    if closes_at - now <= CLOSING_SOON:
        return State.CLOSING_SOON
    return State.OPEN


# Each time in UK time with its zone named, as events say theirs (publishing.uktime).
london = uk_time
time_text = clock


def date_text(moment):
    """ "14 April 2021", the UK date."""
    local = london(moment)
    return f"{local.day} {local:%B %Y}"


def when_text(moment):
    """ "11am BST on 14 April 2021"."""
    return f"{time_text(moment)} on {date_text(moment)}"


def state_line(opens_at, closes_at, now):
    """What readers read about the dates at `now`, GOV.UK style."""
    state = state_at(opens_at, closes_at, now)
    if state == State.UPCOMING:
        return f"Opens {when_text(opens_at)}"
    if state == State.CLOSED:
        return f"Closed on {date_text(closes_at)}"
    if state == State.CLOSING_SOON:
        days = (london(closes_at).date() - london(now).date()).days
        if days == 0:
            return f"Closes today at {time_text(closes_at)}"
        if days == 1:
            return f"Closes tomorrow at {time_text(closes_at)}"
        return f"Closes in {days} days, at {when_text(closes_at)}"
    return f"Closes {when_text(closes_at)}"


def next_midnight(now):
    """The next midnight in London after `now` (when "Closes in 3 days" becomes 2), in UTC."""
    tomorrow = london(now).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=LONDON).astimezone(UTC)


def state_q(state, now):
    """A filter for opportunities in `state` at `now`, from the dates alone."""
    soon = now + CLOSING_SOON
    if state == State.UPCOMING:
        # Closing after now too (it closes after it opens): the closing-date index then starts
        # its walk at now, not at the first call ever closed.
        return models.Q(opens_at__gt=now, closes_at__gt=now)
    if state == State.CLOSED:
        return models.Q(closes_at__lte=now)
    if state == State.CLOSING_SOON:
        return models.Q(opens_at__lte=now, closes_at__gt=now, closes_at__lte=soon)
    # "Open" in a finder means open to applications now, closing soon or not.
    return models.Q(opens_at__lte=now, closes_at__gt=now)
