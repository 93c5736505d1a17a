"""Mailing-list flows, by subject: subscribers (sign-up to erasure), alerts (fan-out), sending.

The flows live in mailinglist.subscribers, mailinglist.alerts and mailinglist.sending; this
module gathers them, so views, commands and the admin have one place to call, and holds the
scheduled run that ties them together.
"""

from mailinglist.alerts import (
    alert_note,
    alert_owed,
    alert_record,
    alerts_discover,
    alerts_fan_out,
)
from mailinglist.models import Delivery, SignupEmail
from mailinglist.sending import digests_send, item_context, subscriber_message
from mailinglist.subscribers import (
    normalise_email,
    subscriber_confirm,
    subscriber_signup,
    subscriber_unsubscribe,
    subscriber_update_preferences,
    subscribers_erase,
    subscribers_purge_unconfirmed,
)
from outbox.delivery import OutboxState, outbox_drain

__all__ = [
    "alert_note",
    "alert_owed",
    "alert_record",
    "alerts_discover",
    "alerts_fan_out",
    "alerts_send",
    "digests_send",
    "item_context",
    "normalise_email",
    "subscriber_confirm",
    "subscriber_message",
    "subscriber_signup",
    "subscriber_unsubscribe",
    "subscriber_update_preferences",
    "subscribers_erase",
    "subscribers_purge_unconfirmed",
]


def alerts_send(*, now=None):
    """What the task and `manage.py send_alerts` run: fan out due alerts, then send what the
    mailing list's outbox owes (sign-up emails, and alerts to immediate subscribers)."""
    created = alerts_fan_out(now=now)
    outcomes = outbox_drain(models_=[SignupEmail, Delivery])
    return {
        "deliveries": created,
        "sent": outcomes[OutboxState.SENT],
        "skipped": outcomes[OutboxState.SKIPPED],
        "failed": outcomes[OutboxState.PENDING] + outcomes[OutboxState.FAILED],
        "mail_server_down": bool(outcomes.get("mail server down")),
    }
