"""Registering for an event on this site, and cancelling with the signed link from the email.

No page here holds anyone's details: the form page is the same for every reader (any cache
may keep it), a registration answers with a redirect to a "check your email" page, and the
details go by email only. The cancel pages are never cached.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django_ratelimit.core import get_usage

from caching.frontcache import add_surrogate_keys
from events import services
from events.forms import CONSENT_TEXT, RegistrationForm
from events.models import Event
from publishing.crossorigin import public_form

# Registrations from one address (IP) per hour: enough for a colleague registering a team.
RATE = "30/h"


def _page(request, event, form=None, status=200, refused=""):
    return render(
        request,
        "events/register.html",
        {
            "event": event,
            "form": form or RegistrationForm(),
            "refused": refused or event.registration_closed_reason(),
            "full": services.is_full(event),
        },
        status=status,
    )


@public_form
def register(request, slug):
    event = get_object_or_404(Event.objects.live().defer("search_vector"), slug=slug)
    if not event.registration_here:
        raise Http404("This event takes no registrations here.")
    add_surrogate_keys(request, event)
    if request.method != "POST":
        return _page(request, event)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _page(request, event, form=form, status=400)
    usage = get_usage(
        request, group="events.register", key="ip", rate=RATE, method="POST", increment=True
    )
    if usage and usage["should_limit"]:
        return _page(request, event, form=form, status=429, refused="Too many registrations "
                     "from your connection in the last hour: try again later.")  # fmt: skip
    data = form.cleaned_data
    try:
        services.registration_create(
            event=event,
            name=data["name"],
            email=data["email"],
            organisation=data["organisation"],
            accessibility_needs=data["accessibility_needs"],
            consent_text=CONSENT_TEXT,
        )
    except services.RegistrationRefused as refused:
        return _page(request, event, form=form, status=409, refused=str(refused))
    # The same page for a new registration, a waiting-list place and an address already
    # registered: whoever typed an address learns nothing about it here.
    return redirect("events:registered", slug=event.slug)


def registered(request, slug):
    event = get_object_or_404(Event.objects.live().only("title", "slug"), slug=slug)
    add_surrogate_keys(request, event)
    return render(request, "events/registered.html", {"event": event})


@never_cache
@public_form
def cancel(request, token):
    registration = services.registration_from_token(token)
    if registration is None:
        return render(request, "events/cancel.html", {"bad_link": True}, status=404)
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        registration.refresh_from_db()
    response = render(
        request, "events/cancel.html", {"registration": registration, "event": registration.event}
    )
    response["X-Robots-Tag"] = "noindex"
    return response
