"""App configuration for the mailing list."""

from django.apps import AppConfig


class MailinglistConfig(AppConfig):
    name = "mailinglist"
    verbose_name = "Mailing list"

    def ready(self):
        from mailinglist.receivers import note_alert, record_alert
        from publishing.signals import content_went_live, going_live_notes

        content_went_live.connect(record_alert, dispatch_uid="mailinglist.record_alert")
        going_live_notes.connect(note_alert, dispatch_uid="mailinglist.note_alert")
