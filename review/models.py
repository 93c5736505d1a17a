"""A review of one publishable item: who submitted what, who checked it, when and what they said."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core import signing
from django.core.mail import EmailMessage
from django.db import models
from django.urls import reverse
from django.utils import timezone

from outbox.delivery import Outbox


class ReviewState(models.TextChoices):
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    SENT_BACK = "sent_back", "Sent back"
    WITHDRAWN = "withdrawn", "Withdrawn"
    # Published by someone with "Can publish without review", with a reason: flagged until
    # another person checks it afterwards.
    UNREVIEWED = "unreviewed", "Published without review"
    CHECKED_AFTER = "checked_after", "Published without review, checked since"
    # An outside expert's answer through a signed link (ExpertLink): never publishes.
    EXPERT_ASKED = "expert_asked", "Expert asked"
    EXPERT_AGREES = "expert_agrees", "Expert: looks right"
    EXPERT_CHANGES = "expert_changes", "Expert: needs changes"
    # The publication record, kept whatever REVIEW_REQUIRED says: every change to what
    # readers see, by anyone on any path (review.services.publication_log).
    PUBLISHED = "published", "Published"
    SCHEDULED = "scheduled", "Scheduled"
    UNPUBLISHED = "unpublished", "Unpublished"
    TIMES_CHANGED = "times_changed", "Publication times changed"


# The states that still ask something of someone (shown in lists and on the form).
OPEN_STATES = (ReviewState.IN_REVIEW, ReviewState.UNREVIEWED)
# Rows that only record a publication (who changed what readers see, when): not a review.
LOG_STATES = (
    ReviewState.PUBLISHED, ReviewState.SCHEDULED, ReviewState.UNPUBLISHED,
    ReviewState.TIMES_CHANGED,
)  # fmt: skip


class Review(models.Model):
    """One round of review of an item (or one publication without review), or one change to
    what readers see of it (LOG_STATES: `submitted_by` did it at `submitted_at`): the record.

    `token` is the item's edit token (publishing.editing.edit_token) when it was submitted,
    so an approval of a version that changed since is refused; `version_id` names the
    django-reversion version it was submitted at (None if the item had none yet).
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    item_title = models.CharField("item", max_length=200, help_text="Its title when submitted.")
    state = models.CharField(
        max_length=15, choices=ReviewState.choices, default=ReviewState.IN_REVIEW, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reviewer asked for; empty: anyone who may publish it.",
    )
    due_on = models.DateField("due", null=True, blank=True)
    message = models.TextField(blank=True, help_text="The writer's note, or the reason given.")
    of_changes = models.BooleanField(
        default=False, help_text="What was submitted is the unpublished changes to a live item."
    )
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version_id = models.PositiveBigIntegerField("version", null=True, blank=True)
    token = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="reviewed by",
    )  # fmt: skip
    decided_at = models.DateTimeField("reviewed at", null=True, blank=True)
    comment = models.TextField(blank=True, help_text="The reviewer's comment or reason.")
    published = models.BooleanField(default=False, help_text="The review published it.")

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "state"])]
        constraints = [
            # One open round per item: a double click on Submit cannot open two.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(state="in_review"),
                name="review_one_open_review_per_item",
            )
        ]
        permissions = [
            ("publish_without_review", "Can publish without review"),
            ("export_review", "Can export the review log"),
        ]

    def __str__(self):
        return f"{self.get_state_display()}: {self.item_title}"

    # Names for pages and the export ("—" for nobody, e.g. a deleted account or an expert).
    @property
    def submitted_by_name(self):
        return _name(self.submitted_by)

    @property
    def decided_by_name(self):
        return _name(self.decided_by)

    @property
    def reviewer_name(self):
        return _name(self.reviewer)


EXPERT_SALT = "review.expert"
EXPERT_MAX_AGE = timedelta(days=7)


class ExpertLink(models.Model):
    """ "Ask an expert": a signed, expiring, revocable link for someone without an account, to
    read the item and answer *Looks right* or *Needs changes* once. It never publishes."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    email = models.EmailField("expert's email")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The item's edit token when the link was made: a later answer says it saw a newer one.
    item_token = models.CharField(max_length=200, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "expert link"

    def __str__(self):
        return f"Expert link for {self.email}"

    def get_absolute_url(self):
        return reverse("review:expert", kwargs={"token": self.token})

    @property
    def token(self):
        return signing.dumps(self.pk, salt=EXPERT_SALT)

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class ReviewComment(models.Model):
    """A comment by a writer or reviewer on an item, optionally about one of its fields; shown
    beside the form until someone resolves it, and kept with the item's history after."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    field = models.CharField(max_length=100, blank=True, help_text="The field it is about.")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "review comment"

    def __str__(self):
        return self.text[:60]

    @property
    def author_name(self):
        return _name(self.author)

    @property
    def resolved_by_name(self):
        return _name(self.resolved_by)


class ReviewMail(Outbox):
    """An email about a review (to the reviewers on submission, to the writer on a decision),
    delivered by the outbox: written with the review, sent after the commit, retried."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="mails")
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    outbox_sent_field = "sent_at"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "review email"

    def __str__(self):
        return f"{self.subject} (to {self.to})"

    def outbox_send(self, *, connection=None):
        EmailMessage(
            subject=self.subject,
            body=self.body,
            to=[self.to],
            connection=connection,
            # Stable per row: a copy re-sent after a crash is recognised (at least once).
            headers={"Message-ID": f"<review-mail-{self.pk}@{_domain()}>"},
        ).send()


def _domain():
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"


def _name(user):
    return (user.get_full_name() or user.get_username()) if user is not None else "—"
