"""The mailing list's records: subscribers, the alerts owed for items that went live, deliveries."""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from outbox.delivery import Outbox, OutboxState
from topics.models import Topic


class State(models.TextChoices):
    PENDING = "pending", "Pending confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As soon as something is published"
    WEEKLY = "weekly", "Once a week, in a digest"


class EmailKind(models.TextChoices):
    CONFIRM = "confirm", "Confirmation link"
    PREFERENCES = "preferences", "Preferences link"


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(state=State.CONFIRMED)


class Subscriber(models.Model):
    email = models.EmailField(max_length=254)
    topics = models.ManyToManyField(
        "topics.Topic",
        blank=True,
        related_name="subscribers",
        verbose_name="areas of interest",
        help_text="The subscriber hears about new posts in these areas.",
    )
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.PENDING, db_index=True
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    deadline_reminders = models.BooleanField(
        "remind me before deadlines",
        default=False,
        help_text="The subscriber asked for a reminder a week before each funding "
        "opportunity in their areas closes.",
    )
    consent_text = models.TextField(
        "consent wording",
        editable=False,
        help_text="The exact words the subscriber agreed to when they signed up.",
    )
    # Tokens name the subscriber by this random key, never by email or id: a link that
    # leaks into a log reveals no address, and a deleted subscriber's links stop working.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField("signed up", auto_now_add=True)
    requested_at = models.DateTimeField(
        "last sign-up request",
        default=timezone.now,
        help_text="When a confirmation was last asked for; pending sign-ups expire after it.",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="mailinglist_subscriber_email_ci_unique")
        ]

    def __str__(self):
        return self.email


class Alert(models.Model):
    """An item that will owe its subscribers an email once its publish time has come."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    due_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    fanned_out_at = models.DateTimeField(
        null=True, blank=True, help_text="When a delivery was recorded for every subscriber."
    )

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="mailinglist_alert_one_per_item"
            )
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id} due {self.due_at:%d/%m/%Y %H:%M}"


# A delivery's states are the outbox's: pending, sending, sent, failed (gave up), skipped.
DeliveryStatus = OutboxState


class SignupEmail(Outbox):
    """An email a sign-up owes: the confirmation link, or (for an address already on the
    list) the preferences link. Written with the sign-up; sent through the outbox."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="signup_emails"
    )
    kind = models.CharField(max_length=12, choices=EmailKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "sign-up email"

    def __str__(self):
        return f"{self.get_kind_display()} to subscriber {self.subscriber_id}"

    def outbox_send(self, *, connection=None):
        from mailinglist.sending import signup_email_send  # sending imports this module

        signup_email_send(email=self, connection=connection)

    @classmethod
    def outbox_rows(cls, queryset):
        return queryset.select_related("subscriber")


class Delivery(Outbox):
    """One item owed to one subscriber: the unique row that stops anyone being owed an item
    twice. For an immediate subscriber it is an outbox row of its own (one alert email); a
    weekly subscriber's deliveries go out together in the digest."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "content_type", "object_id"],
                name="mailinglist_delivery_once_per_subscriber_and_item",
            )
        ]

    outbox_sent_field = "sent_at"

    def __str__(self):
        return f"{self.content_type.model} {self.object_id} to subscriber {self.subscriber_id}"

    def outbox_send(self, *, connection=None):
        from mailinglist.sending import delivery_send  # sending imports this module

        delivery_send(delivery=self, connection=connection)

    @classmethod
    def outbox_due(cls, queryset):
        # Weekly subscribers' items wait for their digest (send_digest).
        return queryset.filter(subscriber__frequency=Frequency.IMMEDIATE)

    @classmethod
    def outbox_rows(cls, queryset):
        return queryset.select_related("subscriber", "content_type")

    @classmethod
    def outbox_prepare(cls, rows):
        from mailinglist.sending import live_items

        items = live_items(rows)
        for row in rows:
            row.live_item = items.get((row.content_type_id, row.object_id))


class TopicAudience(Topic):
    """Topics seen from the mailing list: how many subscribers each one has (admin only)."""

    class Meta:
        proxy = True
        verbose_name = "subscribers per topic"
        verbose_name_plural = "subscribers per topic"
