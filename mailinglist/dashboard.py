"""The mailing list's panel on the editors' dashboard: subscribers per topic, and sign-ups
and unsubscribes per week, over the last twelve weeks."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q, Value
from django.db.models.functions import TruncWeek
from django.utils import timezone

from dashboard.panels import register_panel
from dashboard.readers import BAR_GAP, BAR_HEIGHT, bars
from mailinglist.models import State, Subscriber
from topics.models import Topic

WEEKS = 12


def _monday(day):
    return day - timedelta(days=day.weekday())


def _week(value):
    """A TruncWeek value (a datetime in the site's time zone, or a date) as its Monday."""
    return value.date() if hasattr(value, "date") else value


def subscribers_context(request, *, today=None):
    """Three grouped queries, whatever the number of subscribers' rows shown."""
    today = today or timezone.localdate()
    weeks = [_monday(today) - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    since = timezone.make_aware(datetime.combine(weeks[0], time.min))
    topics = list(
        Topic.objects.annotate(
            subscribers_now=Count("subscribers", filter=Q(subscribers__state=State.CONFIRMED))
        ).values("pk", "name", "subscribers_now")
    )
    through = Subscriber.topics.through.objects.filter(subscriber__confirmed_at__gte=since)
    per_topic = {}
    for row in (
        through.annotate(week=TruncWeek("subscriber__confirmed_at"))
        .values("topic_id", "week")
        .annotate(n=Count("pk"))
    ):
        per_topic.setdefault(row["topic_id"], {})[_week(row["week"])] = row["n"]
    # Sign-ups and unsubscribes per week in one query: a UNION ALL of the two counts.
    joined_or_left = [
        Subscriber.objects.filter(**{f"{field}__gte": since})
        .annotate(week=TruncWeek(field), what=Value(what))
        .values("what", "week")
        .annotate(n=Count("pk"))
        .values_list("what", "week", "n")
        .order_by()
        for what, field in ((0, "confirmed_at"), (1, "unsubscribed_at"))
    ]
    signups, leaving = {}, {}
    for what, week, n in joined_or_left[0].union(joined_or_left[1], all=True):
        (leaving if what else signups)[_week(week)] = n
    rows = [
        {
            "label": topic["name"],
            "value": topic["subscribers_now"],
            "weeks": [per_topic.get(topic["pk"], {}).get(week, 0) for week in weeks],
        }
        for topic in topics
    ]
    for row in rows:
        row["joined"] = sum(row["weeks"])
    rows.sort(key=lambda row: (-row["value"], row["label"]))
    return {
        "weeks": weeks,
        "topics": bars(rows),
        "topics_height": len(rows) * (BAR_HEIGHT + BAR_GAP),
        "per_week": [
            {"week": week, "joined": signups.get(week, 0), "left": leaving.get(week, 0)}
            for week in weeks
        ],
    }


def register():
    register_panel(
        "subscribers",
        title="Mailing list: subscribers per topic",
        template="mailinglist/dashboard_subscribers.html",
        context=subscribers_context,
        order=210,
        permission="mailinglist.view_subscriber",
        cached=True,
    )
