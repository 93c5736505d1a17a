"""The mailing list hears that content went live, from publishing's signal alone."""

from mailinglist import services


def record_alert(sender, instance, **kwargs):
    services.alert_record(instance=instance)


def note_alert(sender, instance, publish_at, **kwargs):
    """Tell the editor about to publish whether subscribers will be alerted."""
    return services.alert_note(model=sender, item_pk=instance.pk, publish_at=publish_at)
