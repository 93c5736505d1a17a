"""The checks before publishing, kept for live items so the dashboard reads a small table.

An item is checked after each save of a declared content type (after its commit, so the admin
form is not kept waiting on a rollback) and by `manage.py check_live_content`. The row goes
when the item is no longer live or has nothing left to fix.
"""

from django.contrib.contenttypes.models import ContentType as DjangoContentType
from django.db import transaction

from dashboard.models import LiveFinding
from publishing.content_checks import check_item
from publishing.models import PublicationFields
from publishing.registry import content_types, for_model


def _checked_types():
    """The declared types whose live items are checked: the Publishables."""
    return [ct for ct in content_types() if issubclass(ct.model, PublicationFields)]


def refresh_item(model, pk):
    """Check item `pk` of `model` again and keep, replace or drop its row."""
    content_type = for_model(model)
    django_type = DjangoContentType.objects.get_for_model(model, for_concrete_model=True)
    item = content_type.visible().filter(pk=pk).first() if content_type else None
    findings = check_item(item) if item is not None else []
    if not findings:
        LiveFinding.objects.filter(content_type=django_type, object_id=pk).delete()
        return
    LiveFinding.objects.update_or_create(
        content_type=django_type,
        object_id=pk,
        defaults={
            "title": str(getattr(item, content_type.title_field))[:200],
            "count": len(findings),
            "summary": "\n".join(str(finding) for finding in findings),
        },
    )


def refresh_all():
    """Check every live item again; drop rows of items no longer live. Returns the count kept."""
    kept = set()
    for content_type in _checked_types():
        django_type = DjangoContentType.objects.get_for_model(content_type.model)
        for pk in content_type.visible().values_list("pk", flat=True).iterator():
            refresh_item(content_type.model, pk)
            kept.add((django_type.pk, pk))
    for row in LiveFinding.objects.only("content_type_id", "object_id").iterator():
        if (row.content_type_id, row.object_id) not in kept:
            row.delete()
    return LiveFinding.objects.count()


def item_saved(sender, instance, raw=False, **kwargs):
    """post_save of any model: a declared Publishable is checked again after the commit."""
    if raw or not issubclass(sender, PublicationFields) or for_model(sender) is None:
        return
    model, pk = sender._meta.concrete_model, instance.pk
    transaction.on_commit(lambda: refresh_item(model, pk), robust=True)


def item_deleted(sender, instance, **kwargs):
    """post_delete: a deleted item leaves no finding behind."""
    if not issubclass(sender, PublicationFields) or for_model(sender) is None:
        return
    django_type = DjangoContentType.objects.get_for_model(sender, for_concrete_model=True)
    LiveFinding.objects.filter(content_type=django_type, object_id=instance.pk).delete()
