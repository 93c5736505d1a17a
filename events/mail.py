"""The emails a registration owes: its place (with the event's calendar file and, for online
events, the joining details), the waiting list, a freed place, a cancellation."""

from django.conf import settings

from events.calendar import CONTENT_TYPE, event_calendar
from events.models import RegistrationEmailKind, RegistrationState
from events.services import cancel_url
from outbox.delivery import OutboxSkip, outbox_email
from publishing.sharing import absolute_url

SUBJECTS = {
    RegistrationEmailKind.PLACE: "Your place: {title}",
    RegistrationEmailKind.WAITING: "You are on the waiting list: {title}",
    RegistrationEmailKind.PROMOTED: "A place has come up for you: {title}",
    RegistrationEmailKind.CANCELLED: "Registration cancelled: {title}",
    RegistrationEmailKind.REMINDER: "Reminder: {title}, {when}",
}


def registration_email_send(*, email, connection=None):
    registration = email.registration
    event = registration.event
    has_place = registration.state == RegistrationState.PLACE
    if (
        email.kind in (RegistrationEmailKind.PLACE, RegistrationEmailKind.PROMOTED)
        and not has_place
    ):
        raise OutboxSkip("the registration no longer has a place")
    if email.kind == RegistrationEmailKind.WAITING and registration.state != "waiting":
        raise OutboxSkip("the registration is no longer waiting")
    context = {
        "registration": registration,
        "event": event,
        "kind": email.kind,
        "has_place": has_place and email.kind != RegistrationEmailKind.CANCELLED,
        "event_url": absolute_url(event.get_absolute_url()),
        "cancel_url": absolute_url(cancel_url(registration)),
        "site_name": settings.SITE_NAME,
    }
    message = outbox_email(
        template="events/email/registration",
        context=context,
        message_id=f"registration-email-{email.pk}",
        connection=connection,
        subject=SUBJECTS[email.kind].format(title=event.title, when=event.when),
        to=[registration.email],
    )
    if context["has_place"]:
        message.attach(f"{event.slug}.ics", event_calendar(event), CONTENT_TYPE)
    message.send()
