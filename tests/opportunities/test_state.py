"""An opportunity's state comes from its dates at the minute it is read, in UK time."""

from datetime import UTC, datetime, timedelta

import pytest

from opportunities import deadlines
from opportunities.deadlines import State, state_at, state_line
from opportunities.models import Opportunity
from tests.factories import make_opportunity

# 8 February 2021, 9am (GMT) to 14 April 2021, 11am BST (10:00 UTC): across the spring clock change.
OPENS = datetime(2021, 2, 8, 9, 0, tzinfo=UTC)
CLOSES = datetime(2021, 4, 14, 10, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (OPENS - MINUTE, State.UPCOMING),
        (OPENS, State.OPEN),
        (OPENS + MINUTE, State.OPEN),
        (CLOSES - timedelta(days=7) - MINUTE, State.OPEN),
        (CLOSES - timedelta(days=7), State.CLOSING_SOON),
        (CLOSES - MINUTE, State.CLOSING_SOON),
        (CLOSES, State.CLOSED),
        (CLOSES + MINUTE, State.CLOSED),
    ],
)
def test_the_state_changes_at_the_exact_minute(now, state):
    assert state_at(OPENS, CLOSES, now) == state


def test_readers_see_the_dates_in_uk_time_with_the_zone_named():
    assert state_line(OPENS, CLOSES, OPENS - MINUTE) == "Opens 9am GMT on 8 February 2021"
    assert state_line(OPENS, CLOSES, OPENS) == "Closes 11am BST on 14 April 2021"
    three_days = datetime(2021, 4, 11, 8, 0, tzinfo=UTC)
    assert state_line(OPENS, CLOSES, three_days) == "Closes in 3 days, at 11am BST on 14 April 2021"
    same_day = datetime(2021, 4, 14, 6, 0, tzinfo=UTC)
    assert state_line(OPENS, CLOSES, same_day) == "Closes today at 11am BST"
    assert state_line(OPENS, CLOSES, CLOSES) == "Closed on 14 April 2021"


def test_a_day_in_the_last_week_counts_in_uk_days_across_the_clock_change():
    # The clocks went forward on 28 March 2021: 23:30 UTC on the 27th is still the 27th in
    # London, and 23:30 UTC on the 28th is already the 29th.
    closes = datetime(2021, 3, 30, 11, 0, tzinfo=UTC)  # noon BST on the 30th
    opens = closes - timedelta(days=30)
    assert state_line(opens, closes, datetime(2021, 3, 27, 23, 30, tzinfo=UTC)).startswith(
        "Closes in 3 days"
    )
    assert state_line(opens, closes, datetime(2021, 3, 28, 23, 30, tzinfo=UTC)).startswith(
        "Closes tomorrow"
    )
    assert deadlines.time_text(closes) == "midday BST"


def test_midnight_in_london_is_the_next_uk_day_in_utc():
    in_summer = datetime(2021, 6, 1, 12, 0, tzinfo=UTC)
    assert deadlines.next_midnight(in_summer) == datetime(2021, 6, 1, 23, 0, tzinfo=UTC)
    in_winter = datetime(2021, 12, 1, 12, 0, tzinfo=UTC)
    assert deadlines.next_midnight(in_winter) == datetime(2021, 12, 2, 0, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_the_database_filters_agree_with_the_page_at_each_boundary():
    upcoming = make_opportunity(opens_in=timedelta(minutes=1))
    just_open = make_opportunity(opens_in=timedelta(0), closes_in=timedelta(days=30))
    closing = make_opportunity(closes_in=timedelta(days=3))
    closed = make_opportunity(opens_in=-timedelta(days=20), closes_in=-timedelta(minutes=1))
    now = datetime.now(UTC)
    for item in (upcoming, just_open, closing, closed):
        item.refresh_from_db()
        state = item.state(now)
        assert Opportunity.objects.in_state(state, now).filter(pk=item.pk).exists()
    assert set(Opportunity.objects.in_state(State.OPEN, now)) == {just_open, closing}
    assert set(Opportunity.objects.not_closed(now)) == {upcoming, just_open, closing}
