"""The site's own tables: the words search suggests when a search finds nothing, and the
deadline reminders owed to subscribers (they join the mailing list to opportunities)."""

from django.db import models

from mailinglist.models import Subscriber
from opportunities.models import Opportunity
from outbox.delivery import Outbox


class SearchWord(models.Model):
    """A word that appears in the titles and standfirsts of what readers can find.

    Search suggests the nearest of these for a misspelt word ("Did you mean …?"). Kept by
    ktnsite.suggestions: rebuilt after bulk loads, grown when an item goes live.
    """

    word = models.CharField(max_length=30, unique=True)
    uses = models.PositiveIntegerField(default=1, help_text="How often it occurs.")

    def __str__(self):
        return self.word


class OpportunityReminder(Outbox):
    """One deadline reminder owed to one subscriber about one funding opportunity.

    The unique (subscriber, opportunity) row is what makes a reminder go out once: two
    overlapping runs cannot both owe it, and a mail outage leaves the row pending for the
    outbox to retry. Kept here, in the site layer, because it joins the mailing list to a
    content app, which may not import each other (the import contracts in pyproject.toml).
    """

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="opportunity_reminders"
    )
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="reminders")
    closes_at = models.DateTimeField(
        "deadline reminded of",
        help_text="The closing time the reminder announced; a move of more than a week "
        "owes a new one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    outbox_sent_field = "sent_at"

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "opportunity"], name="ktnsite_reminder_once_per_subscriber"
            )
        ]

    def __str__(self):
        return f"Reminder of opportunity {self.opportunity_id} to subscriber {self.subscriber_id}"

    def outbox_send(self, *, connection=None):
        from ktnsite.reminders import reminder_send

        reminder_send(reminder=self, connection=connection)

    @classmethod
    def outbox_rows(cls, queryset):
        return queryset.select_related("subscriber", "opportunity")
