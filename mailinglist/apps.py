"""App configuration for the mailing list."""

from django.apps import AppConfig


class MailinglistConfig(AppConfig):
    name = "mailinglist"
    verbose_name = "Mailing list"

    def ready(self):
        from mailinglist.receivers import record_alert
        from publishing.signals import content_went_live

        content_went_live.connect(record_alert, dispatch_uid="mailinglist.record_alert")
