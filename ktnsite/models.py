"""The site's own tables: the words search suggests when a search finds nothing, and the
deadline reminders owed to subscribers and the reminders readers ask for (they join the
mailing list to opportunities)."""

import uuid

from django.db import models
from django.utils import timezone

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
        # A row retried on its own (its task came back) is an email of its own.
        from ktnsite.reminders import reminders_email_send

        reminders_email_send([self], connection=connection)

    @classmethod
    def outbox_due(cls, queryset):
        # The reminder run sends them, one email per subscriber listing all their deadlines
        # (ktnsite.reminders.reminders_send_grouped); send_outbox leaves them to it.
        return queryset.none()

    @classmethod
    def outbox_rows(cls, queryset):
        return queryset.select_related("subscriber")


class OpportunityWatch(Outbox):
    """A reader's "remind me" for one funding opportunity, asked for from its page.

    The row is also the confirmation email it owes (an outbox row): the reminder is owed
    only once the reader has followed the emailed link (`confirmed_at`), the same double
    opt-in as the mailing list, so nobody can sign someone else up by typing their address.
    """

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="opportunity_watches"
    )
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="watches")
    # The confirmation link names this random key, never the address or the row's id.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField("asked", auto_now_add=True)
    requested_at = models.DateTimeField("last asked", default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "reminder asked for"
        verbose_name_plural = "reminders asked for"
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "opportunity"], name="ktnsite_watch_once_per_subscriber"
            )
        ]

    def __str__(self):
        return f"Reminder of opportunity {self.opportunity_id} asked by subscriber {self.subscriber_id}"

    def outbox_send(self, *, connection=None):
        from ktnsite.reminders import watch_confirmation_send

        watch_confirmation_send(watch=self, connection=connection)

    @classmethod
    def outbox_rows(cls, queryset):
        return queryset.select_related("subscriber", "opportunity")
