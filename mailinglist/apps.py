"""App configuration for the mailing list."""

from datetime import timedelta

from django.apps import AppConfig


def send_alerts_job():
    from mailinglist import services

    return services.alerts_send()


def send_digest_job():
    from mailinglist import services

    # Fan out first, so an item that went live moments ago is in this digest.
    services.alerts_fan_out()
    return services.digests_send()


def purge_unconfirmed_job():
    from mailinglist import services

    return {"deleted": services.subscribers_purge_unconfirmed()}


class MailinglistConfig(AppConfig):
    name = "mailinglist"
    verbose_name = "Mailing list"

    def ready(self):
        from mailinglist.receivers import note_alert, record_alert
        from publishing.signals import content_went_live, going_live_notes
        from scheduling import register_job

        register_job(
            "send_alerts",
            send_alerts_job,
            every=timedelta(minutes=5),
            description="Alerts for items whose time has come, then what the list's outbox owes.",
        )
        # Mondays at 08:00 UTC.
        register_job(
            "send_digest",
            send_digest_job,
            every=timedelta(weeks=1),
            at=timedelta(hours=8),
            description="One email per weekly subscriber with everything owed since the last.",
        )
        register_job(
            "purge_unconfirmed",
            purge_unconfirmed_job,
            every=timedelta(days=1),
            at=timedelta(hours=3),
            description="Deletes sign-ups not confirmed within MAILINGLIST_CONFIRM_DAYS.",
        )
        from mailinglist import dashboard

        dashboard.register()
        content_went_live.connect(record_alert, dispatch_uid="mailinglist.record_alert")
        going_live_notes.connect(note_alert, dispatch_uid="mailinglist.note_alert")
