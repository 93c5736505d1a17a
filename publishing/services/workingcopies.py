"""Working copies: an item's unpublished changes, kept beside the row readers see until they are
published or discarded, and the library images they use."""

import json
from copy import copy as shallow_copy

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction

from library.models import Image
from publishing.models import (
    WorkingCopy,
)
from publishing.richtext import RichTextField, body_image_ids
from publishing.services.publish import publishable_save, stored_publish_state


def image_working_copy_uses(images):
    """The unpublished changes (working copies) that use any of `images`:
    {image pk: [(what, item)]}.

    No foreign key or BodyImage row records these (the stored row does not hold them yet),
    so the database would let the image go and publishing the changes would then fail; the
    library's delete refuses while this lists anything. Working copies are few (one per item
    with unsaved-to-readers edits), so they are read once and looked through here, for all
    the images asked about together.
    """
    wanted = {image.pk for image in images}
    uses = {}
    if not wanted:
        return uses
    copies = WorkingCopy.objects.select_related("content_type").order_by("pk")
    for copy in copies:
        model = copy.content_type.model_class()
        if model is None:
            continue
        found = []  # (image pk, what uses it)
        for field in model._meta.concrete_fields:
            value = copy.fields.get(field.name)
            if value in (None, ""):
                continue
            if getattr(field, "related_model", None) is Image and value in wanted:
                found.append((value, f"{field.verbose_name} of {model._meta.verbose_name}"))
            elif isinstance(field, RichTextField):
                label = f"text of {model._meta.verbose_name}"
                found.extend(
                    (pk, label) for pk in sorted(wanted.intersection(body_image_ids(value)))
                )
        if found:
            item = model._base_manager.filter(pk=copy.object_id).first()
            if item is not None:
                for pk, label in found:
                    uses.setdefault(pk, []).append((f"{label} (unpublished changes)", item))
    return uses


# Never in a working copy: publication changes only by publishing (the rule), and these are
# the row's own bookkeeping.
WORKING_COPY_SKIP = {"status", "publish_at", "expire_at", "created_at", "updated_at"}


def working_copy_fields(model):
    """The fields a working copy of `model` may hold: editable content, many-to-many too."""
    opts = model._meta
    return [
        field.name
        for field in [*opts.concrete_fields, *opts.many_to_many]
        if field.editable and not field.primary_key and field.name not in WORKING_COPY_SKIP
    ]


def working_copy_find(*, item):
    """The item's working copy (unpublished changes), or None."""
    if item.pk is None:
        return None
    return (
        WorkingCopy.objects.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk
        )
        .select_related("saved_by")
        .first()
    )


def working_copy_store(*, item, user, fields=None, relations=None, extra=None):
    """Keep `item`'s current, unsaved values as its working copy; the stored row (what
    readers see) is not touched. Replaces an earlier working copy of the item.

    `fields`: the names to keep (default: every content field, see working_copy_fields; the
    admin passes its form's, so counters such as downloads are never frozen in a copy).
    `relations`: {many-to-many name: objects or ids} chosen for it (else those stored).
    `extra`: form-only choices to show with it again (e.g. the change note). A file newly
    chosen for a file field is written to storage now, so the copy can name it.
    """
    model = type(item)
    allowed = working_copy_fields(model)
    names = [name for name in (fields or allowed) if name in allowed]
    m2m = {field.name for field in model._meta.many_to_many}
    concrete = [name for name in names if name not in m2m]
    for name in concrete:
        file = getattr(item, name)
        if hasattr(file, "_committed") and file and not file._committed:
            file.save(file.name, file.file, save=False)
    values = json.loads(serializers.serialize("json", [item], fields=concrete))[0]["fields"]
    relations = relations or {}
    for name in names:
        if name in m2m:
            chosen = relations[name] if name in relations else getattr(item, name).all()
            values[name] = sorted(getattr(obj, "pk", obj) for obj in chosen)
    copy, _ = WorkingCopy.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        defaults={"fields": values, "extra": extra or {}, "saved_by": user},
    )
    return copy


def working_copy_from_version(*, item, version, fields=None):
    """A copy of `item` (a stored row) with the content of an old `version` of it
    (django-reversion's), in memory only, ready for working_copy_store: returns
    (item, relations, notes).

    Only content fields are taken (working_copy_fields, narrowed to `fields`, the admin's
    form): never publication fields or counters. A field the version does not hold (added to
    the model since) keeps its current value. References the version makes to things since
    deleted are not brought back: a missing related item or stored file keeps the current
    one, a missing many-to-many choice is left out; `notes` says so, one sentence each.
    """
    model = type(item)
    opts = model._meta
    allowed = working_copy_fields(model)
    names = [name for name in (fields or allowed) if name in allowed]
    old = version.field_dict
    held = set(old)
    if version.format == "json":
        held = {*json.loads(version.serialized_data)[0]["fields"], opts.pk.attname}
    restored = shallow_copy(item)  # the caller's item stays as stored
    relations, notes = {}, []
    for name in names:
        field = opts.get_field(name)
        if field.name not in held or field.attname not in old:
            continue
        value = old[field.attname]
        label = str(field.verbose_name)
        if field.many_to_many:
            ids = list(value or [])
            found = set(
                field.related_model._default_manager.filter(pk__in=ids).values_list("pk", flat=True)
            )
            relations[name] = [pk for pk in ids if pk in found]
            missing = len(ids) - len(relations[name])
            if missing:
                notes.append(
                    f"{missing} of the version's {label} no longer exist"
                    f"{'s' if missing == 1 else ''} and {'was' if missing == 1 else 'were'} "
                    "left out."
                )
        elif field.is_relation:
            related = field.related_model._default_manager
            if value is not None and not related.filter(pk=value).exists():
                notes.append(
                    f"The version's {label} no longer exists: the {label} stays as it is now."
                )
                continue
            setattr(restored, field.attname, value)
        elif hasattr(value, "storage"):  # a file: its name, if the file is still stored
            if value and not value.storage.exists(value.name):
                notes.append(
                    f"The version's {label} ({value.name}) is no longer stored: the {label} "
                    "stays as it is now."
                )
                continue
            setattr(restored, field.attname, value.name if value else "")
        else:
            setattr(restored, field.attname, value)
    return restored, relations, notes


def working_copy_load(*, item, copy, prefetch=False):
    """Put the working copy's values on `item` (in memory only) and return its
    many-to-many choices ({name: [ids]}). With `prefetch`, `item.<m2m>.all()` answers them
    too (for showing it; never save an item loaded so)."""
    payload = [{"model": item._meta.label_lower, "pk": item.pk, "fields": copy.fields}]
    loaded = next(serializers.deserialize("json", json.dumps(payload), ignorenonexistent=True))
    opts = item._meta
    for name in copy.fields:
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:  # a field since removed from the model: nothing to show
            continue
        if not field.many_to_many and field.concrete:
            setattr(item, field.attname, getattr(loaded.object, field.attname))
    relations = {name: list(ids) for name, ids in (loaded.m2m_data or {}).items()}
    if prefetch:
        cache = getattr(item, "_prefetched_objects_cache", {})
        for name, ids in relations.items():
            related = opts.get_field(name).related_model
            cache[name] = related._default_manager.filter(pk__in=ids)
        item._prefetched_objects_cache = cache
    return relations


def working_copy_differs(*, item, copy):
    """Names of the fields whose working-copy value differs from the stored row's."""
    stored = type(item)._default_manager.get(pk=item.pk)
    names = set(working_copy_fields(type(item))) & set(copy.fields)
    m2m = {field.name for field in item._meta.many_to_many} & names
    concrete = sorted(names - m2m)
    values = json.loads(serializers.serialize("json", [stored], fields=concrete))[0]["fields"]
    differ = {name for name in concrete if values.get(name) != copy.fields[name]}
    for name in m2m:
        ids = sorted(getattr(stored, name).values_list("pk", flat=True))
        if ids != sorted(copy.fields[name]):
            differ.add(name)
    return differ


def working_copy_apply(*, item, user=None, comment="", now=None):
    """Publish the item's working copy: its values become the stored row that readers see,
    through the publish rule (publishable_save), so a user without the model's publish
    right is refused (PublishRefused, nothing saved) while the item is live. The history's
    comment says "Changes published". Returns the PublishChange, or None without a copy."""
    copy = working_copy_find(item=item)
    if copy is None:
        return None
    before = stored_publish_state(item)
    with transaction.atomic():
        relations = working_copy_load(item=item, copy=copy)
        # Set first, so the revision that publishable_save records holds them.
        cache = getattr(item, "_prefetched_objects_cache", {})
        for name, ids in relations.items():
            cache.pop(name, None)
            getattr(item, name).set(ids)
        change = publishable_save(
            item=item,
            user=user,
            before=before,
            comment=comment or ("" if item.is_live else "Changes saved"),
            now=now,
            publishes_changes=True,
        )
        copy.delete()
    return change


def working_copy_discard(*, item):
    """Drop the item's unpublished changes; returns whether there were any."""
    if item.pk is None:
        return False
    deleted, _ = WorkingCopy.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    ).delete()
    return bool(deleted)
