"""Signals other apps listen to without importing the content apps, and the receivers that
keep the image library's record of body images."""

from django.dispatch import Signal

# Sent whenever an item is saved as published: sender is the model class, `instance` the
# item. It is live at once if `instance.publish_at` has come; otherwise it is scheduled, and
# nothing fires when that time arrives, so a listener that cares records the time itself.
# Sent on every such save (edits too), and before the admin saves many-to-many fields such
# as topics: listeners must tolerate hearing of an item twice and read its relations later
# (after commit). Connected for every concrete Publishable model in PublishingConfig.ready.
content_went_live = Signal()


def send_content_went_live(sender, instance, raw=False, **kwargs):
    """post_save receiver: announce an item saved as published (fixture loads excepted)."""
    from publishing.models import Status

    if not raw and instance.status == Status.PUBLISHED:
        content_went_live.send(sender=sender, instance=instance)


# Sent (by publishing.services.publishable_alert_notes) when an editor is about to make an
# item live or schedule it, so the form can say what will follow: sender is the model class,
# `instance` the item, `publish_at` its go-live time. Receivers return one sentence for the
# editor (e.g. whether subscribers will be alerted) or None. Nothing is done on hearing it.
going_live_notes = Signal()


def body_images_record(sender, instance, raw=False, **kwargs):
    """post_save receiver: record the library images an item's rich text references."""
    from library.services import body_images_sync
    from publishing.richtext import RichTextField

    if raw:
        return
    html = "".join(
        getattr(instance, field.attname) or ""
        for field in sender._meta.concrete_fields
        if isinstance(field, RichTextField)
    )
    body_images_sync(item=instance, html=html)


def body_images_forget(sender, instance, **kwargs):
    """post_delete receiver: a deleted item no longer holds its images in use."""
    from django.contrib.contenttypes.models import ContentType

    from library.models import BodyImage

    BodyImage.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
    ).delete()


def working_copy_forget(sender, instance, **kwargs):
    """post_delete receiver: a deleted item's unpublished changes go with it."""
    from publishing.services import working_copy_discard

    working_copy_discard(item=instance)
