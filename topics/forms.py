"""Form fields for choosing a topic by its slug, as list and search filters do."""

from django import forms
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from caching.pagecache import kept_until_change
from publishing.models import Status
from publishing.widgets import PlainSelect
from topics.models import Topic


def kept_live_topics():
    """Every live topic, in order, as the filters offer them: the published ones kept as a
    page listing them would be, until anything public changes
    (caching.pagecache.kept_until_change), and the live ones among them picked at each
    call, as `live()` would; one query when not kept."""
    rows = kept_until_change(
        # Plain values, not pickled model instances (which warn once Django is upgraded).
        "topics.published",
        lambda: list(Topic.objects.filter(status=Status.PUBLISHED).values()),
        by_the_clock=False,
    )
    now = timezone.now()
    # As read from the database (saved, not new), with every column.
    return [
        Topic.from_db(DEFAULT_DB_ALIAS, list(row), list(row.values()))
        for row in rows
        if row["publish_at"] <= now and (row["expire_at"] is None or row["expire_at"] > now)
    ]


class TopicListFilterField(forms.ChoiceField):
    """An optional topic picked by slug from topics the form is given (set_topics: a list
    read once and kept, caching.pagecache.kept_until_change), so that neither its options
    nor checking the one asked for costs a query. Its <select> is the markup of Django's
    ModelChoiceField; cleaned, it is the Topic or None."""

    widget = PlainSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Topic")
        kwargs.setdefault("required", False)
        self.empty_label = kwargs.pop("empty_label", "All topics")
        super().__init__(**kwargs)
        self.set_topics(())

    def set_topics(self, topics):
        self.topics = {topic.slug: topic for topic in topics}
        self.choices = [("", self.empty_label)] + [(topic.slug, str(topic)) for topic in topics]

    def clean(self, value):
        slug = super().clean(value)
        return self.topics[slug] if slug else None


class TopicFilterField(TopicListFilterField):
    """An optional topic picked by slug, so filter URLs read ?topic=net-zero: a
    TopicListFilterField offering every live topic (kept_live_topics).

    It was a ModelChoiceField: a query to list the topics on every page that shows the
    filter, and one more to check the topic asked for.
    """

    default_error_messages = {
        # ModelChoiceField's words, which the search form shows.
        "invalid_choice": "Select a valid choice. That choice is not one of the available choices."
    }

    def __deepcopy__(self, memo):
        # Each form gets its own copy of a class-level field: the live topics are read then,
        # not frozen at the moment the form class was made (a topic published later shows).
        result = super().__deepcopy__(memo)
        result.set_topics(kept_live_topics())
        return result
