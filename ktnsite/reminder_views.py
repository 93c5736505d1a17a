"""Readers' "remind me" for one funding opportunity: the form on its page, and the emailed link's page."""

from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from ktnsite import reminders
from mailinglist.subscribers import normalise_email
from opportunities.models import Opportunity
from publishing.crossorigin import public_form


class RemindMeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.org.",
            "max_length": "Enter an email address of at most 254 characters.",
        },
    )
    consent = forms.BooleanField(
        error_messages={"required": "Tick the box to agree, so that we may email you."}
    )


def _address_key(group, request):
    return normalise_email(request.POST.get("email", "")).lower()


def _capped(request):
    """The mailing list's own limits: per IP, and per address (so nobody floods a mailbox)."""
    by_ip = is_ratelimited(
        request,
        group="reminders.watch.ip",
        key="ip",
        rate=settings.MAILINGLIST_SIGNUP_RATE_IP,
        increment=True,
    )
    by_address = is_ratelimited(
        request,
        group="reminders.watch.address",
        key=_address_key,
        rate=settings.MAILINGLIST_SIGNUP_RATE_ADDRESS,
        increment=True,
    )
    return by_ip, by_address


# Posted from the opportunity's page, which any cache may share: no per-reader CSRF token,
# protected by Fetch Metadata / Origin instead (publishing.crossorigin), like the sign-up.
@public_form
@never_cache
@require_http_methods(["POST"])
def remind_me(request, slug):
    opportunity = get_object_or_404(Opportunity.objects.live(), slug=slug)
    context = {"opportunity": opportunity}
    if opportunity.is_closed or not opportunity.reminds_before_closing:
        return render(request, "ktnsite/remind_me.html", {**context, "closed": True}, status=400)
    form = RemindMeForm(request.POST)
    if not form.is_valid():
        return render(request, "ktnsite/remind_me.html", {**context, "form": form}, status=400)
    by_ip, by_address = _capped(request)
    if by_ip:
        return render(request, "mailinglist/too_many.html", status=429)
    # Over the per-address limit nothing is sent, but the answer is the same as ever: it must
    # not tell whether the address is on the list, nor let anyone flood it.
    if not by_address:
        reminders.watch_request(email=form.cleaned_data["email"], opportunity=opportunity)
    return render(
        request,
        "ktnsite/remind_me_check_email.html",
        {**context, "confirm_days": settings.MAILINGLIST_CONFIRM_DAYS},
    )


# The emailed link shows one "Confirm" button: mail scanners follow links, and a GET must
# not confirm what nobody asked for.
@public_form
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_confirm(request):
    token = request.POST.get("token") or request.GET.get("token", "")
    watch = reminders.watch_from_token(token)
    if watch is None:
        return render(
            request,
            "mailinglist/bad_link.html",
            {
                "message": "This confirmation link has expired or is not complete. Links work "
                f"for {settings.MAILINGLIST_CONFIRM_DAYS} days: ask for the reminder again "
                "from the opportunity's page."
            },
            status=400,
        )
    if request.method == "POST":
        watch = reminders.watch_confirm(watch=watch)
    return render(
        request,
        "ktnsite/remind_me_confirm.html",
        {"watch": watch, "opportunity": watch.opportunity, "token": token},
    )
