"""The image library's flows: a picture in (checked, cleaned, renditions queued), replaced,
its renditions made, and where it is used."""

import logging
import uuid
from functools import partial
from pathlib import PurePosixPath

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from library.images import image_clean, renditions_make, upright_size, validate_image
from library.models import BodyImage, Image, ImageState, Tag
from library.references import body_image_ids
from outbox.queueing import task_enqueue

logger = logging.getLogger(__name__)

# Uploads as they came, waiting for the worker: random names without extension, linked from
# no page (as kept uploads are), deleted once cleaned or refused.
INCOMING = "library-incoming"
# Told by the apps above at start-up (the kernel, from publishing.apps): which models' rich
# texts may hold library images, and where else an image may be used that no row of the
# library records (unpublished changes). The library stands below the kernel, so it is told.
TEXT_MODELS = []
PENDING_USE_FINDERS = []


def register_text_model(model):
    """`model` has rich text that may reference library images (see BodyImage)."""
    if model not in TEXT_MODELS:
        TEXT_MODELS.append(model)


def register_pending_uses(finder):
    """`finder(images)` returns {image pk: [(what, item)]}: uses the database cannot protect."""
    if finder not in PENDING_USE_FINDERS:
        PENDING_USE_FINDERS.append(finder)


def image_pending_uses(images):
    """Uses of `images` that no foreign key or BodyImage row records: {image pk: [(what, item)]}.

    The library's delete refuses while this lists anything."""
    uses = {}
    for finder in PENDING_USE_FINDERS:
        for pk, found in finder(images).items():
            uses.setdefault(pk, []).extend(found)
    return uses


def _checked_clean(file):
    """Check an upload by content (unless the admin's form field already did) and clean it."""
    if not getattr(file, "checked_image", False):
        validate_image(file)
    file.seek(0)
    return image_clean(file.read())


def _stored_name(image, file, clean):
    stem = PurePosixPath(getattr(file, "name", "") or "").stem
    slug = slugify(image.title or stem)[:80] or "image"
    return f"images/{timezone.now():%Y}/{slug}.{clean.extension}"


def _store_incoming(image, file):
    """Check `file` cheaply (by content, without decoding its pixels) and store it as it came
    under INCOMING, the image "processing": the worker cleans it (image_process)."""
    if not getattr(file, "checked_image", False):
        validate_image(file)
    file.seek(0)
    data = file.read()
    image.file = image.storage.save(f"{INCOMING}/{uuid.uuid4().hex}", ContentFile(data))
    image.width, image.height = upright_size(data)
    image.renditions = {}
    image.state, image.state_message = ImageState.PROCESSING, ""


# What image_process writes while the editor may be saving the same image's other fields.
WORKER_FIELDS = {"file", "width", "height", "renditions", "state", "state_message"}


def _editor_fields():
    return [
        field.name
        for field in Image._meta.concrete_fields
        if not field.primary_key and field.name not in WORKER_FIELDS
    ]


def image_save(*, image, file=None, user=None, alt_pending=False, in_background=False):
    """Save a library image; with `file`, check it, strip its metadata and make it the image's
    file. Queues renditions (after commit) when the file or the focal point changed.

    The one path by which a picture enters the library: the admin, `image_create`,
    `image_replace` and imports all come here. Raises ValidationError for a refused file or a
    missing alt text, before anything is stored. `alt_pending` (imports only) lets a picture
    in without alt text; the library lists it under "Alt text: missing" and its form asks.
    `in_background` (an editor's request): the file is only checked and stored where no page
    links it, and the task worker strips it (1.4 s for a 24-megapixel photo, up to 6 s for
    a large PNG); readers' pages leave the image out until then.
    """
    try:
        image.clean()
    except ValidationError as exc:
        if not (alt_pending and set(exc.message_dict) == {"alt"}):
            raise
    if file is not None and in_background:
        _store_incoming(image, file)
    elif file is not None:
        clean = _checked_clean(file)
        storage = image.storage
        # A name, not the upload: assigning the stored name means the model never writes the
        # original (with its metadata) on save.
        image.file = storage.save(_stored_name(image, file, clean), ContentFile(clean.data))
        image.width, image.height = clean.width, clean.height
        image.renditions = {}
        image.state, image.state_message = ImageState.READY, ""
    if not image.title and image.file:
        image.title = PurePosixPath(getattr(file, "name", "") or image.file.name).stem[:200]
    if image.pk is None and user is not None:
        image.uploaded_by = user
    focal = list(image.focal_point) if image.focal_point else None
    needs_renditions = file is not None or (
        bool(image.current_renditions) and image.current_renditions.get("focal") != focal
    )
    # Saving sends post_save, which is what invalidates the page cache: a replaced file shows
    # on every page that uses it, at once.
    if file is None and not image._state.adding:
        # The worker may have finished the upload since this row was read: its fields are
        # left as the worker wrote them.
        image.save(update_fields=_editor_fields())
    else:
        image.save()
    if image.state == ImageState.PROCESSING and file is not None:
        name = image.file.name
        transaction.on_commit(partial(_process_enqueue, image.pk, name))
    elif needs_renditions and image.state == ImageState.READY:
        name = image.file.name
        transaction.on_commit(partial(_renditions_enqueue, image.pk, name))
    return image


def image_create(
    *,
    file,
    alt="",
    decorative=False,
    title="",
    caption="",
    credit="",
    focal_point=None,
    tags=(),
    uploaded_by=None,
    alt_pending=False,
):
    """Add a picture to the library and return the new `Image` (the API for code and imports).

    `file`: an uploaded or opened file (anything with read/seek, e.g. ContentFile(bytes,
    name="photo.jpg")); checked by content exactly as an editor's upload. `alt` is required
    unless `decorative`. `focal_point`: (x, y) in percent of width and height, or None.
    `tags`: names, created as needed. `alt_pending`: for imports only, store a picture whose
    alt text is still to be written (else a missing alt text is refused). Renditions are made by a background task after the
    transaction commits; until then pages show the original, scaled by the browser.
    Raises django.core.exceptions.ValidationError (nothing stored) for a refused file.
    """
    image = Image(title=title, alt=alt, decorative=decorative, caption=caption, credit=credit)
    if focal_point is not None:
        image.focal_x, image.focal_y = (round(v) for v in focal_point)
    with transaction.atomic():
        image_save(image=image, file=file, user=uploaded_by, alt_pending=alt_pending)
        if tags:
            image.tags.set(Tag.objects.get_or_create(name=name.strip())[0] for name in tags)
    return image


def image_replace(*, image, file):
    """Give a library image a new file: every page using it shows the new one."""
    return image_save(image=image, file=file)


def _renditions_enqueue(image_id, name):
    # Imported here because the task module imports this one.
    from library.tasks import make_image_renditions

    # Pages show the original meanwhile; `manage.py image_renditions` makes what is missing.
    task_enqueue(
        make_image_renditions,
        image_id=image_id,
        name=name,
        failure=f"renditions of image {image_id}; manage.py image_renditions makes them",
    )


def _process_enqueue(image_id, name):
    from library.tasks import process_image_upload

    task_enqueue(
        process_image_upload,
        image_id=image_id,
        name=name,
        failure=f"processing of image {image_id}; manage.py image_renditions does it",
    )


def _failure_message(exc):
    reasons = getattr(exc, "messages", None) or ["The file could not be read."]
    return (
        f"This upload could not be processed: {' '.join(reasons)} "
        "Upload the picture again, or another file."
    )[:300]


def image_process(*, image_id, name):
    """Clean an editor's upload `name` (stored as it came under INCOMING) in the worker: strip
    its metadata exactly as an upload made by code is, make the result the image's file and
    the image ready, delete the upload as it came, then make the renditions.

    A file that cannot be decoded leaves the image "failed" with the reason, and is deleted
    too. Does nothing (but delete `name`) if the image is gone or has another file since.
    Returns the image, or None.
    """
    image = Image.objects.filter(pk=image_id).first()
    storage = image.storage if image is not None else Image().storage
    if image is None or image.file.name != name or image.state != ImageState.PROCESSING:
        if name.startswith(f"{INCOMING}/") and not Image.objects.filter(file=name).exists():
            storage.delete(name)
        return None
    try:
        with storage.open(name, "rb") as handle:
            clean = image_clean(handle.read())
    except (ValidationError, OSError) as exc:
        logger.warning("Image %s could not be processed: %s", image_id, exc)
        with transaction.atomic():
            current = Image.objects.select_for_update().filter(pk=image_id).first()
            if current is not None and current.file.name == name:
                current.state = ImageState.FAILED
                current.state_message = _failure_message(exc)
                current.save(update_fields=["state", "state_message", "updated_at"])
        storage.delete(name)
        return current
    public = storage.save(_stored_name(image, None, clean), ContentFile(clean.data))
    with transaction.atomic():
        current = Image.objects.select_for_update().filter(pk=image_id).first()
        if current is None or current.file.name != name:
            storage.delete(public)  # replaced or deleted while we worked
            current = None
        else:
            current.file = public
            current.width, current.height = clean.width, clean.height
            current.renditions = {}
            current.state, current.state_message = ImageState.READY, ""
            # A save, not update(): post_save empties the page cache, so pages show it.
            current.save()
    storage.delete(name)
    if current is None:
        return None
    return image_renditions_make(image_id=image_id, name=public) or current


def image_renditions_make(*, image_id, name=None):
    """Make and record the renditions of an image's current file (run by the task).

    Does nothing if the image is gone or its file changed since `name` was queued (the
    newer file's own task does the work). Returns the image, or None.
    """
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not image.file or (name is not None and image.file.name != name):
        return None
    if image.state != ImageState.READY:
        return None  # the upload as it came is never cut into renditions
    renditions = renditions_make(image.storage, image.file.name, focal=image.focal_point)
    with transaction.atomic():
        current = Image.objects.select_for_update().filter(pk=image_id).first()
        if current is None or current.file.name != renditions["for"]:
            return None  # replaced while we worked
        current.renditions = renditions
        # A save, not update(): post_save empties the page cache, so pages pick them up.
        current.save(update_fields=["renditions"])
    return current


def body_images_sync(*, item, html):
    """Record which library images `item`'s rich text uses (for usage lists and deletion)."""
    content_type = ContentType.objects.get_for_model(item)
    rows = BodyImage.objects.filter(content_type=content_type, object_id=item.pk)
    wanted = set(body_image_ids(html))
    if wanted:
        wanted = set(Image.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    existing = set(rows.values_list("image_id", flat=True))
    if existing - wanted:
        rows.filter(image_id__in=existing - wanted).delete()
    if wanted - existing:
        BodyImage.objects.bulk_create(
            [
                BodyImage(image_id=pk, content_type=content_type, object_id=item.pk)
                for pk in wanted - existing
            ],
            ignore_conflicts=True,
        )


def image_uses(image):
    """Where an image is used: [(what, item)], e.g. ("hero image of post", <Post>).

    Found from the foreign keys pointing at the library, so a new model that uses images
    is listed without this function knowing it; then the uses no row records
    (image_pending_uses).
    """
    uses = []
    for relation in type(image)._meta.related_objects:
        if not relation.one_to_many or relation.related_model is BodyImage:
            continue
        model = relation.related_model
        label = f"{relation.field.verbose_name} of {model._meta.verbose_name}"
        for item in model._base_manager.filter(**{relation.field.name: image}):
            uses.append((label, item))
    for use in image.body_uses.select_related("content_type"):
        item = use.item
        if item is not None:
            uses.append((f"text of {use.content_type.name}", item))
    return uses + image_pending_uses([image]).get(image.pk, [])
