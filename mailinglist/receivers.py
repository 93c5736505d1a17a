"""The mailing list hears that content went live, from publishing's signal alone."""

from mailinglist import services


def record_alert(sender, instance, **kwargs):
    services.alert_record(instance=instance)
