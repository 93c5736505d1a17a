"""Publishable (the abstract model and QuerySet that decide what readers see), preview links,
autosaves and working copies."""

from dataclasses import dataclass
from datetime import datetime, timedelta

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


class Phase(models.TextChoices):
    """Where an item stands for readers at a moment: what the admin shows and filters by."""

    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    TAKEN_DOWN = "expired", "Taken down"


@dataclass(frozen=True)
class PublishState:
    """The three fields that decide what readers see, compared before and after a change."""

    status: str = Status.DRAFT
    publish_at: datetime | None = None
    expire_at: datetime | None = None

    @classmethod
    def of(cls, item):
        return cls(item.status, item.publish_at, item.expire_at)

    @property
    def published(self):
        return self.status == Status.PUBLISHED

    def is_live(self, now):
        return (
            self.published
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.expire_at is None or self.expire_at > now)
        )

    def is_scheduled(self, now):
        return self.published and self.publish_at is not None and self.publish_at > now

    def is_expired(self, now):
        return (
            self.published
            and self.publish_at is not None
            and self.publish_at <= now
            and self.expire_at is not None
            and self.expire_at <= now
        )

    def phase(self, now):
        if not self.published:
            return Phase.DRAFT
        if self.is_scheduled(now):
            return Phase.SCHEDULED
        return Phase.TAKEN_DOWN if self.is_expired(now) else Phase.PUBLISHED

    def label(self, now):
        return self.phase(now).label


class PublishableQuerySet(models.QuerySet):
    def live(self):
        """What readers may see: published, its publish time has come, its take-down has not."""
        now = timezone.now()
        return self.filter(
            models.Q(expire_at__isnull=True) | models.Q(expire_at__gt=now),
            status=Status.PUBLISHED,
            publish_at__lte=now,
        )

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def scheduled(self):
        return self.filter(status=Status.PUBLISHED, publish_at__gt=timezone.now())

    def expired(self):
        """Published items whose take-down time has passed: their address answers 410 Gone."""
        now = timezone.now()
        return self.filter(status=Status.PUBLISHED, publish_at__lte=now, expire_at__lte=now)

    def with_working_copy(self):
        """Annotate `has_working_copy`: whether unpublished changes are kept for the item (a
        subquery in the same query, so a list of any length costs nothing more)."""
        opts = self.model._meta.concrete_model._meta
        copies = WorkingCopy.objects.filter(
            content_type__app_label=opts.app_label,
            content_type__model=opts.model_name,
            object_id=models.OuterRef("pk"),
        )
        return self.annotate(has_working_copy=models.Exists(copies))

    def live_with_changes(self):
        """Live items with unpublished changes: readers see the live version meanwhile."""
        return self.live().with_working_copy().filter(has_working_copy=True)


class _TitleAndSlug(models.Model):
    """The title and address of a Publishable (declared first, so they lead its forms)."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the page's address. Keep it short and lower-case.",
    )

    class Meta:
        abstract = True


class PublicationFields(models.Model):
    """What makes a model publishable, without a title: its status, publish and take-down
    times and the `live()` QuerySet. `Publishable` adds a `title` and a `slug`; a model that
    names itself otherwise (contacts and topics: `name`) takes this and says which field is
    its title in `title_field`, which the kernel reads through `item_title`."""

    title_field = "title"

    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only published items whose publish time has come are shown to readers.",
    )
    # Empty on a draft until an editor sets it or publishes: publishing without a time stamps
    # the moment it went live (publishing.services.publishable_change_check), so a draft
    # started on Monday and published on Thursday says Thursday and is alerted.
    publish_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        db_index=True,
        help_text='The date readers see as "Posted on". Leave it empty to use the moment you '
        "publish; a future time schedules the item; a past time backdates it.",
    )
    expire_at = models.DateTimeField(
        "take down at",
        null=True,
        blank=True,
        help_text="Optional. At this time the item leaves every list, feed and search by "
        'itself, and its address answers "Gone".',
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            # Readers' lists filter on publish_at: a published row without one would vanish.
            models.CheckConstraint(
                condition=models.Q(status=Status.DRAFT) | models.Q(publish_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_time",
            ),
        ]

    def __str__(self):
        return item_title(self)

    @property
    def is_live(self):
        return self.publish_state.is_live(timezone.now())

    @property
    def is_scheduled(self):
        return self.publish_state.is_scheduled(timezone.now())

    @property
    def is_expired(self):
        return self.publish_state.is_expired(timezone.now())

    @property
    def has_been_live(self):
        """Whether readers may have seen it: its publish time has come while it was published.

        Publishing stamps the publish time and unpublishing keeps it, so a draft with a past
        publish time was live before (or was backdated on purpose: the same for this).
        """
        return self.publish_at is not None and self.publish_at <= timezone.now()

    @property
    def publish_state(self):
        return PublishState.of(self)

    @property
    def publish_phase(self):
        """Draft, scheduled, published or taken down, now (a Phase)."""
        return self.publish_state.phase(timezone.now())

    @property
    def state_label(self):
        """What the admin shows: Draft, Scheduled, Published or Taken down."""
        return self.publish_phase.label


class Publishable(_TitleAndSlug, PublicationFields):
    class Meta(PublicationFields.Meta):
        abstract = True
        ordering = ["-publish_at", "-pk"]
        get_latest_by = "publish_at"


def published_fields(now=None):
    """The publication fields of an item published at `now` (code and the system making live
    rows: the demo, imports, tests)."""
    return {"status": Status.PUBLISHED, "publish_at": now or timezone.now()}


def item_title(item):
    """The title of any publishable item, whatever its model calls it (`title_field`)."""
    return getattr(item, getattr(item, "title_field", "title"), "") or ""


def set_item_title(item, text):
    setattr(item, getattr(item, "title_field", "title"), text)


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


class Autosave(models.Model):
    """An editor's unsaved change form, kept by the server while they type (issue 11.4).

    The form posts itself here every 30 s while it has unsaved changes, so neither a crashed
    browser nor a closed tab loses work; the next visit offers it back. One per editor and
    item (object_id empty for an add form), deleted when the editor saves the item.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    data = models.JSONField(help_text="The form's fields as posted: {name: [values]}.")
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["user", "content_type", "object_id"])]

    def __str__(self):
        return f"Autosave of {self.content_type.name} #{self.object_id or 'new'} by {self.user}"


class WorkingCopy(models.Model):
    """Unpublished changes to an item (issue 11.2): readers keep seeing the stored, live row
    while editors save, preview and share these; *Publish changes* writes them to the row
    (publishing.services.working_copy_apply, or the admin form, which shows them).

    One per item. `fields` holds the changed item's content as Django's serializer writes it
    ({field name: value}, many-to-many fields as lists of ids); the publication fields
    (status, publish and take-down times) are never in it: they change only by publishing.
    `extra` keeps form-only choices (the change note) to show again with it.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    fields = models.JSONField(help_text="The item's content fields, serialised.")
    extra = models.JSONField(default=dict, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "unpublished changes"
        verbose_name_plural = "unpublished changes"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="publishing_workingcopy_one_per_item"
            )
        ]

    def __str__(self):
        return f"Unpublished changes to {self.content_type.name} #{self.object_id}"
