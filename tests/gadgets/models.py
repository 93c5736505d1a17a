"""Gadget: a small publishable item with a summary and topics, for the registry's tests."""

from django.db import models

from publishing.addresses import slug_url
from publishing.models import Publishable
from publishing.search import search_vector_field
from topics.models import Topic


class Gadget(Publishable):
    summary = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="gadgets")
    # Stays empty here (no trigger): the tests search on SQLite's substring fallback.
    search_vector = search_vector_field()

    def get_absolute_url(self):
        return slug_url("gadgets:detail", self.slug)
