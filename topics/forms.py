"""Form fields for choosing a topic by its slug, as list and search filters do."""

from django import forms

from publishing.widgets import PlainSelect
from topics.models import Topic


class ReadAllChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices from one plain query. Django's iterator() behind the default opens a
    server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE: three round trips) to read a
    dozen topics on every page with a topic filter."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for topic in self.queryset:
            yield self.choice(topic)


class TopicFilterField(forms.ModelChoiceField):
    """An optional topic picked by slug, so filter URLs read ?topic=net-zero."""

    iterator = ReadAllChoiceIterator
    widget = PlainSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Topic")
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "All topics")
        super().__init__(queryset=Topic.objects.live(), to_field_name="slug", **kwargs)

    def __deepcopy__(self, memo):
        # Each form gets its own copy of a class-level field: `live()` is asked again then,
        # not frozen at the moment the form class was made (a topic published later shows).
        result = super().__deepcopy__(memo)
        result.queryset = Topic.objects.live()
        return result


class TopicListFilterField(forms.ChoiceField):
    """An optional topic picked by slug, as TopicFilterField, from topics the form is given
    (set_topics: a list read once and kept, caching.pagecache.kept_until_change), so that
    neither its options nor checking the one asked for costs a query. Its <select> is the
    same markup; cleaned, it is the Topic or None."""

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
