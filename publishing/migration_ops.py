"""Data moves for migrations: pictures that models held themselves go into the image library.

Used by news 0009, contacts 0007 and reports 0008. Migrations replay on older databases, so
what these functions do must not change; write a new function for a new move.
"""

import json

from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage


def _dimensions(name, renditions):
    if renditions.get("width") and renditions.get("height"):
        return renditions["width"], renditions["height"]
    try:
        with default_storage.open(name, "rb") as handle:
            return get_image_dimensions(handle)
    except (OSError, ValueError):
        return None, None  # a missing file: the row still moves; pages omit the size


def _library_image(apps, cache, *, name, alt, decorative, renditions, title, tag):
    """The library image for the stored file `name`, made once per file."""
    if name in cache:
        return cache[name]
    Image = apps.get_model("publishing", "Image")
    Tag = apps.get_model("publishing", "Tag")
    width, height = _dimensions(name, renditions or {})
    image = Image.objects.create(
        title=title[:200],
        file=name,
        width=width,
        height=height,
        alt=(alt or "")[:250],
        decorative=bool(decorative),
        renditions=renditions or {},
    )
    image.tags.add(Tag.objects.get_or_create(name=tag)[0])
    cache[name] = image.pk
    return image.pk


def pictures_to_library(apps, *, model, old, new, title_field, tag):
    """Move each item's picture into the library and point `new` (a foreign key) at it.

    `old` names the item's old fields: {"file", "alt", "decorative", "renditions"}. One
    library image per item, with its alt text, decorative flag and renditions, so pages look
    the same. Saved versions (django-reversion) are rewritten to match, so restoring an older
    version still brings back its picture, and does not fail on the old field names.
    """
    app_label, model_name = model.split(".")
    Model = apps.get_model(app_label, model_name)
    cache = {}
    items = Model._base_manager.exclude(**{old["file"]: ""}).exclude(
        **{f"{old['file']}__isnull": True}
    )
    for item in items.iterator():
        pk = _library_image(
            apps,
            cache,
            name=getattr(item, old["file"]).name,
            alt=getattr(item, old["alt"]),
            decorative=getattr(item, old["decorative"]),
            renditions=getattr(item, old["renditions"]),
            title=getattr(item, title_field),
            tag=tag,
        )
        Model._base_manager.filter(pk=item.pk).update(**{new: pk})
    _versions_to_library(apps, cache, app_label, model_name, old, title_field, tag)


def _versions_to_library(apps, cache, app_label, model_name, old, title_field, tag):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    content_type = ContentType.objects.filter(app_label=app_label, model=model_name.lower()).first()
    if content_type is None:
        return
    for version in Version.objects.filter(content_type=content_type, format="json").iterator():
        try:
            data = json.loads(version.serialized_data)
            fields = data[0]["fields"]
        except (ValueError, LookupError, TypeError):
            continue
        name = fields.pop(old["file"], "") or ""
        alt = fields.pop(old["alt"], "")
        decorative = fields.pop(old["decorative"], False)
        renditions = fields.pop(old["renditions"], {})
        image_pk = None
        if name and (name in cache or default_storage.exists(name)):
            image_pk = _library_image(
                apps,
                cache,
                name=name,
                alt=alt,
                decorative=decorative,
                renditions=renditions,
                title=str(fields.get(title_field, "")),
                tag=tag,
            )
        # The foreign key takes the old file field's name (hero_image, photo, cover_image).
        fields[old["file"]] = image_pk
        version.serialized_data = json.dumps(data)
        version.save(update_fields=["serialized_data"])


def pictures_from_library(apps, *, model, old, new):
    """The reverse move (for rolling back): copy the library image's facts onto the item."""
    app_label, model_name = model.split(".")
    Model = apps.get_model(app_label, model_name)
    for item in Model._base_manager.exclude(**{f"{new}__isnull": True}).select_related(new):
        image = getattr(item, new)
        Model._base_manager.filter(pk=item.pk).update(
            **{
                old["file"]: image.file.name,
                old["alt"]: image.alt,
                old["decorative"]: image.decorative,
                old["renditions"]: image.renditions,
            }
        )
