"""Signals other apps listen to without importing the content apps."""

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
