"""The site's own tables: the words search suggests when a search finds nothing."""

from django.db import models


class SearchWord(models.Model):
    """A word that appears in the titles and standfirsts of what readers can find.

    Search suggests the nearest of these for a misspelt word ("Did you mean …?"). Kept by
    ktnsite.suggestions: rebuilt after bulk loads, grown when an item goes live.
    """

    word = models.CharField(max_length=30, unique=True)
    uses = models.PositiveIntegerField(default=1, help_text="How often it occurs.")

    def __str__(self):
        return self.word
