"""Two editors on one item: the version token every save carries, the compare shown when a
save is refused because someone else saved first, and who else has the form open."""

import json
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.timesince import timesince
from reversion.models import Version

from publishing.models import WorkingCopy


def edit_token(item, *, lock=False):
    """What an item is now, as a short string that changes with every save of it: its latest
    version in the history, its stored row's last save, and its unpublished changes.

    A form carries the token it was opened with; a save whose token is no longer the item's is
    refused (EditorialAdminForm). With `lock`, inside a transaction, the item's row stays
    locked until it commits (PostgreSQL), so two saves of one item are checked one at a time.
    """
    if item is None or item.pk is None:
        return ""
    model = type(item)
    version = (
        Version.objects.get_for_object_reference(model, item.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    parts = [str(version or 0)]
    rows = model._base_manager.filter(pk=item.pk)
    if lock and transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    if _has_field(model, "updated_at"):
        saved = rows.values_list("updated_at", flat=True).first()
        parts.append(saved.isoformat() if saved else "gone")
    elif lock:
        rows.exists()
    copy_saved = (
        WorkingCopy.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=item.pk
        )
        .values_list("saved_at", flat=True)
        .first()
    )
    parts.append(copy_saved.isoformat() if copy_saved else "")
    return "|".join(parts)


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _opened_version(token):
    """The version of the history the form was opened at (None if unknown)."""
    if token is None:
        return None
    try:
        pk = int(token.split("|", 1)[0])
    except ValueError:
        return None
    return Version.objects.filter(pk=pk).first() if pk else None


def _display(field, value):
    """A stored value as an editor reads it: a related item's name, not its id."""
    if value in (None, ""):
        return ""
    if field.many_to_many or field.is_relation:
        ids = value if isinstance(value, list | tuple) else [value]
        names = field.related_model._default_manager.filter(pk__in=ids)
        return ", ".join(sorted(str(obj) for obj in names)) or "(deleted)"
    if isinstance(field, models.DateTimeField):
        moment = field.to_python(value)
        return date_format(timezone.localtime(moment), "d/m/Y H:i:s") if moment else ""
    return str(value)


def _serialised(item, names):
    """{field name: value} of `item` as Django's serializer writes it (ids for relations)."""
    opts = item._meta
    m2m = {f.name for f in opts.many_to_many} & set(names)
    concrete = [name for name in names if name not in m2m]
    values = json.loads(serializers.serialize("json", [item], fields=concrete))[0]["fields"]
    for name in m2m:
        values[name] = sorted(getattr(item, name).values_list("pk", flat=True))
    return values


def stored_values(item):
    """Every editable field of `item` as stored now, serialised: taken before History writes
    an old version to the row, so a refused restore compares with what is really stored."""
    if item is None:
        return None
    names = [f.name for f in item._meta.get_fields() if getattr(f, "editable", False)]
    names = [n for n in names if _has_field(type(item), n) and item._meta.get_field(n).concrete]
    return _serialised(item, names)


def edit_conflict(*, form, item, token, stored=None):
    """What to show an editor whose save was refused: who saved since they opened the form,
    and for each field that now differs from what they typed, its value when they opened
    the form (where the history knows it), now, and theirs. Nothing is written. `stored`
    (from stored_values) stands for the row when it has been rewritten since (History)."""
    model = type(item)
    opts = model._meta
    current = model._default_manager.filter(pk=item.pk).first()
    names = [
        name
        for name in form.fields
        if _has_field(model, name) and opts.get_field(name).editable and name != "status"
    ]
    rows, changed_by = [], []
    if current is not None:
        copy = WorkingCopy.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=item.pk
        ).first()
        if stored is not None:
            now_values = {name: stored.get(name) for name in names}
        else:
            now_values = _serialised(current, names)
        if copy is not None:
            now_values.update({k: v for k, v in copy.fields.items() if k in now_values})
        opened = _opened_version(token)
        opened_values = opened.field_dict if opened is not None else {}
        cleaned = getattr(form, "cleaned_data", {})
        for name in names:
            field = opts.get_field(name)
            theirs = _display(field, now_values.get(name))
            if name in cleaned:
                typed = cleaned[name]
                if field.many_to_many:
                    typed = [obj.pk for obj in typed]
                elif isinstance(typed, models.Model):
                    typed = typed.pk
                elif hasattr(typed, "name") and isinstance(field, models.FileField):
                    typed = typed.name
                yours = _display(field, typed)
            else:
                yours = theirs
            was = _display(field, opened_values.get(field.attname)) if opened_values else None
            if theirs != yours or (was is not None and was != theirs):
                rows.append(
                    {
                        "label": str(field.verbose_name).capitalize(),
                        "name": name,
                        "opened": was,
                        "theirs": theirs,
                        "yours": yours,
                        "they_changed": was is not None and was != theirs,
                    }
                )
        since = Version.objects.get_for_object(current).select_related("revision__user")
        if opened is not None:
            since = since.filter(pk__gt=opened.pk)
        since = since.order_by("pk")
        if token is None:
            # The form did not say what its author saw: name only the last save.
            since = since.reverse()[:1]
        changed_by = [(v.revision.user, v.revision.date_created) for v in since]
        if copy is not None:
            changed_by.append((copy.saved_by, copy.saved_at))
    names_seen = []
    for user, _when in changed_by:
        name = editor_name(user) if user else "Someone"
        if name not in names_seen:
            names_seen.append(name)
    return {
        "who": " and ".join(names_seen) or "Someone",
        "when": date_format(timezone.localtime(changed_by[-1][1]), "d/m/Y H:i:s")
        if changed_by
        else "",
        "deleted": current is None,
        # No token came with the form: what they opened is unknown, not known to be older.
        "unknown_base": token is None,
        "rows": rows,
        "verbose_name": opts.verbose_name,
    }


def editor_name(user):
    return user.get_full_name() or user.get_username()


# Presence: who has an item's change form open. One cache entry per item, {user id: [name,
# opened, last seen]}, refreshed by the form's script; an entry not refreshed within
# PUBLISHING_PRESENCE_SECONDS has gone (a closed tab, a crashed browser). A signal, not a
# lock: two editors opening at the same instant may each miss the other until the next beat.


def _cached(call, *args, default=None, **kwargs):
    """A cache call that never fails the page: presence is a signal, and with the cache away
    (a Redis outage or hang) the form and the list work without it."""
    try:
        return call(*args, **kwargs)
    except Exception:
        return default


def _presence_key(model, pk):
    return f"publishing:presence:{model._meta.label_lower}:{pk}"


def _presence_seconds():
    return settings.PUBLISHING_PRESENCE_SECONDS


def _fresh(entries, now):
    limit = now - _presence_seconds()
    return {uid: entry for uid, entry in (entries or {}).items() if entry[2] >= limit}


def presence_beat(*, user, item, opening=False):
    """Note that `user` has `item`'s form open (`opening`: they have just opened it)."""
    key = _presence_key(type(item), item.pk)
    now = timezone.now().timestamp()
    entries = _fresh(_cached(cache.get, key), now)
    mine = entries.get(str(user.pk))
    opened = mine[1] if mine and not opening else now
    entries[str(user.pk)] = [editor_name(user), opened, now]
    _cached(cache.set, key, entries, timeout=_presence_seconds())


def presence_leave(*, user, item):
    """`user` closed `item`'s form (or saved it and is reopening it)."""
    key = _presence_key(type(item), item.pk)
    entries = _fresh(_cached(cache.get, key), timezone.now().timestamp())
    if entries.pop(str(user.pk), None) is not None:
        _cached(cache.set, key, entries, timeout=_presence_seconds())


def _sentences(entries, user, noun, now):
    sentences = []
    for uid, (name, opened, _seen) in sorted(entries.items(), key=lambda kv: kv[1][1]):
        if uid == str(getattr(user, "pk", "")):
            continue
        # timesince joins number and unit with a no-break space; plain words for a message.
        ago = timesince(datetime.fromtimestamp(opened, tz=UTC), now).replace("\xa0", " ")
        when = "just now" if now.timestamp() - opened < 60 else f"{ago.split(',')[0]} ago"
        sentences.append(f"{name} is editing this {noun} (opened {when})")
    return sentences


def presence_others(*, user, item):
    """Sentences naming the others who have `item`'s form open now, earliest first."""
    now = timezone.now()
    entries = _fresh(_cached(cache.get, _presence_key(type(item), item.pk)), now.timestamp())
    return _sentences(entries, user, item._meta.verbose_name, now)


def presence_for_list(*, user, model, pks):
    """{pk: sentences} for the rows of a list, in one cache read."""
    now = timezone.now()
    keys = {_presence_key(model, pk): pk for pk in pks}
    found = _cached(cache.get_many, list(keys), default={})
    noun = model._meta.verbose_name
    return {
        keys[key]: sentences
        for key, entries in found.items()
        if (sentences := _sentences(_fresh(entries, now.timestamp()), user, noun, now))
    }
