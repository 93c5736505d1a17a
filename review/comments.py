"""Comments on an item by its writers and reviewers, optionally about one field; resolved by
a click, kept with the item's history."""

import re

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from publishing.services import may_publish, working_copy_fields
from review.models import ReviewComment
from review.services import ReviewRefused


def row_id(text):
    """A posted row id as a number the database takes (0, naming nothing, for anything else)."""
    text = str(text or "")
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else 0


def comment_fields(model):
    """(name, label) of the fields a comment may be about: the item's content fields."""
    opts = model._meta
    return [
        (name, str(opts.get_field(name).verbose_name).capitalize())
        for name in working_copy_fields(model)
    ]


def may_comment(*, user, model):
    """Writers (the change right) and reviewers (the publish right) comment and resolve."""
    opts = model._meta.concrete_model._meta
    return may_publish(user=user, model=model) or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def comments_of(item):
    return ReviewComment.objects.filter(
        content_type=ContentType.objects.get_for_model(type(item)), object_id=item.pk
    ).select_related("author", "resolved_by")


def comment_add(*, item, user, text, field=""):
    model = type(item)
    if not may_comment(user=user, model=model):
        raise ReviewRefused("You cannot change or publish this item, so you cannot comment.", 403)
    text = (text or "").strip()
    if not text:
        raise ReviewRefused("Write the comment first.")
    if field and field not in dict(comment_fields(model)):
        raise ReviewRefused("Choose a field from the list, or none.")
    return ReviewComment.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=item.pk,
        field=field,
        text=text,
        author=user,
    )


def comment_resolve(*, item, user, comment_id):
    if not may_comment(user=user, model=type(item)):
        raise ReviewRefused("You cannot change or publish this item, so you cannot resolve.", 403)
    found = comments_of(item).filter(pk=row_id(comment_id))
    if not found.filter(resolved_at__isnull=True).update(
        resolved_by=user, resolved_at=timezone.now()
    ):
        raise ReviewRefused("That comment is already resolved, or gone: reload the page.", 409)
