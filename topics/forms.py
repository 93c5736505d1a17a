"""Form fields for choosing a topic by its slug, as list and search filters do."""

from django import forms

from topics.models import Topic


class TopicFilterField(forms.ModelChoiceField):
    """An optional topic picked by slug, so filter URLs read ?topic=net-zero."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Topic")
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "All topics")
        super().__init__(queryset=Topic.objects.all(), to_field_name="slug", **kwargs)
