"""The image library's rows: Image (a picture, its alt text and renditions), Tag, and BodyImage
(an image's uses in rich texts)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator
from django.db import models

from library.images import CheckedImageField, alt_text_error


class Tag(models.Model):
    """A word for finding images in the library ("portrait", "lab", "net zero")."""

    name = models.CharField(max_length=60, unique=True)

    class Meta:
        db_table = "publishing_tag"  # made by the kernel before the library was an app
        ordering = ["name"]

    def __str__(self):
        return self.name


def _percent(name):
    return models.PositiveSmallIntegerField(
        name,
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="0 to 100. Crops (the share card) keep this point in view.",
    )


class ImageState(models.TextChoices):
    """Where an upload is on its way from the editor's request to readers' pages."""

    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Image(models.Model):
    """One picture in the library: uploaded once, used as hero, photo, cover or in a body.

    Files are written through `library.services.image_create` / `image_replace`, which
    check and clean them and queue their renditions; pages only read `renditions`. An
    editor's upload is first stored as it came, where no page links it, with the state
    "processing"; the task worker strips it and makes it the file readers get ("ready"),
    or says why it could not ("failed"). Readers' pages draw only ready images.
    """

    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="For finding it in the library; readers never see it. "
        "Left empty, the file's name is used.",
    )
    file = CheckedImageField(
        upload_to="images/%Y/",
        max_length=255,
        help_text="JPEG, PNG, WebP or GIF, up to 10 MB. Wide pictures (1600 px or more) look best.",
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="Describe the picture for someone who cannot see it.",
    )
    decorative = models.BooleanField(
        "decorative",
        default=False,
        help_text="Tick only if the picture adds nothing to the page; it then has no alt text.",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(
        max_length=200, blank=True, help_text="Who took or owns it, e.g. “Photo: Jo Bloggs”."
    )
    focal_x = _percent("focal point across (%)")
    focal_y = _percent("focal point down (%)")
    tags = models.ManyToManyField(Tag, blank=True, related_name="images")
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    state = models.CharField(
        max_length=10, choices=ImageState.choices, default=ImageState.READY, editable=False
    )
    # Why processing failed, in words for the editor; empty otherwise.
    state_message = models.CharField(max_length=300, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "publishing_image"  # made by the kernel before the library was an app
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self):
        return self.title or f"Image {self.pk}"

    def clean(self):
        super().clean()
        error = alt_text_error(True, self.alt, self.decorative)
        if error:
            raise ValidationError({"alt": error})
        if (self.focal_x is None) != (self.focal_y is None):
            raise ValidationError("Give both parts of the focal point, or neither.")

    @property
    def alt_text(self):
        """What readers' <img alt> says: nothing for a decorative picture."""
        return "" if self.decorative else self.alt

    @property
    def focal_point(self):
        """(x, y) as fractions of the width and height, or None for the centre."""
        if self.focal_x is None or self.focal_y is None:
            return None
        return (self.focal_x / 100, self.focal_y / 100)

    @property
    def is_ready(self):
        """Readers may see it: its file is the cleaned one, never the upload as it came."""
        return self.state == ImageState.READY and bool(self.file)

    @property
    def storage(self):
        return self.file.storage if self.file else default_storage

    @property
    def current_renditions(self):
        """The renditions of the current file; {} while they are still being made."""
        renditions = self.renditions or {}
        made_for = renditions.get("for")
        # Renditions recorded before they named their file (moved from the old fields) fit.
        return renditions if made_for in (None, self.file.name) else {}

    @property
    def sources(self):
        return self.current_renditions.get("sources") or []

    def thumbnail_url(self):
        """The smallest rendition, or the original (scaled by the browser) until it exists;
        "" while the upload is being processed or if processing failed."""
        if not self.is_ready:
            return ""
        sources = self.sources
        if sources:
            return self.storage.url(sources[0]["fallback"])
        return self.file.url if self.file else ""


class BodyImage(models.Model):
    """A library image referenced from an item's rich text: the body's uses, for the library.

    Kept in step with the text whenever the item is saved (publishing.apps connects it), so
    the image's page lists where it appears and deleting it is refused while it is used.
    """

    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="body_uses")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")

    class Meta:
        db_table = "publishing_bodyimage"  # made by the kernel before the library was an app
        verbose_name = "use in a text"
        constraints = [
            models.UniqueConstraint(
                fields=["image", "content_type", "object_id"], name="publishing_bodyimage_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"the text of {self.content_type.name} “{self.item}”"
