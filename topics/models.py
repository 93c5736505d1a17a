"""Topic: an area of interest such as Medicines Manufacturing."""

from django.db import models

from publishing.addresses import slug_url
from publishing.models import PublicationFields
from publishing.registry import topic_key


class Topic(PublicationFields):
    """An area of interest; a draft until published (`PublicationFields`), like a post."""

    title_field = "name"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True, help_text="One or two sentences shown on the topic's page."
    )
    ordering = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in lists of topics."
    )

    class Meta(PublicationFields.Meta):
        ordering = ["ordering", "name"]
        permissions = [("publish_topic", "Can publish topics")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("topics:detail", self.slug)

    @property
    def surrogate_key(self):
        """The front-cache key of the pages that list this topic's content (its hub, feeds)."""
        return topic_key(self.slug)
