"""Publishable (the abstract model and QuerySet that decide what readers see) and preview links."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

PREVIEW_SALT = "publishing.preview-link"
# Signed links die after this long whatever the row says; the row lets editors revoke sooner.
PREVIEW_MAX_AGE = timedelta(days=7)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def live(self):
        """What readers may see: published, and its publish time has come."""
        return self.filter(status=Status.PUBLISHED, publish_at__lte=timezone.now())

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def scheduled(self):
        return self.filter(status=Status.PUBLISHED, publish_at__gt=timezone.now())


class Publishable(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the page's address. Keep it short and lower-case.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only published items whose publish time has come are shown to readers.",
    )
    publish_at = models.DateTimeField(
        "publish time",
        default=timezone.now,
        db_index=True,
        help_text='The date readers see as "Posted on". A future time schedules the item.',
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-publish_at", "-pk"]
        get_latest_by = "publish_at"

    def __str__(self):
        return self.title

    @property
    def is_live(self):
        return self.status == Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == Status.PUBLISHED and self.publish_at > timezone.now()

    @property
    def state_label(self):
        """What the admin shows: Draft, Scheduled or Published."""
        if self.status == Status.DRAFT:
            return "Draft"
        return "Scheduled" if self.is_scheduled else "Published"


class PreviewLink(models.Model):
    """A signed link that shows one unpublished item to someone without a login."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="Once revoked, the link shows nothing to anyone."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"Preview of {self.content_type.name} #{self.object_id}"

    def get_absolute_url(self):
        return reverse("publishing:preview", kwargs={"token": self.token})

    @property
    def token(self):
        return signing.dumps(self.pk, salt=PREVIEW_SALT)

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
