"""Public pages for the mailing list: sign-up, confirm, preferences and unsubscribe."""

from django.conf import settings
from django.contrib import messages
from django.core.validators import slug_re
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from mailinglist import services
from mailinglist.forms import PreferencesForm, SignupForm, consent_wording
from mailinglist.models import State, Subscriber
from mailinglist.tokens import (
    CONFIRM,
    PREFERENCES,
    UNSUBSCRIBE,
    InvalidToken,
    make_token,
    read_token,
)
from publishing.crossorigin import public_form
from topics.models import Topic


def _topics_from_query(request):
    """Topics named by ?topic=<slug> (a topic hub's "Get emails about ..." link), ticked in
    advance. Anything that is not a known topic's slug is ignored, never an error."""
    slugs = [s for s in request.GET.getlist("topic")[:20] if slug_re.fullmatch(s)]
    return (
        list(Topic.objects.live().filter(slug__in=slugs).only("pk", "name", "slug"))
        if slugs
        else []
    )


def _address_key(group, request):
    return services.normalise_email(request.POST.get("email", "")).lower()


def _mailbox_key(group, request):
    """The mailbox an address reaches: case-folded and without a +tag, so victim+1@ and
    victim+2@ share one allowance (most mail systems deliver both to victim@)."""
    local, _, domain = _address_key(group, request).rpartition("@")
    return f"{local.partition('+')[0]}@{domain}"


def _domain_key(group, request):
    return _address_key(group, request).rpartition("@")[2]


# Each cap is counted on every valid sign-up, so a flood aimed at one mailbox or one
# domain is held back whatever spelling of the address it uses.
_RECIPIENT_CAPS = (
    ("mailinglist.signup.address", _address_key, "MAILINGLIST_SIGNUP_RATE_ADDRESS"),
    ("mailinglist.signup.mailbox", _mailbox_key, "MAILINGLIST_SIGNUP_RATE_MAILBOX"),
    ("mailinglist.signup.domain", _domain_key, "MAILINGLIST_SIGNUP_RATE_DOMAIN"),
)


def _recipient_capped(request):
    # Every counter is incremented (no short-circuit), so a capped mailbox still uses up
    # its domain's allowance and the counts stay honest.
    capped = [
        is_ratelimited(request, group=group, key=key, rate=getattr(settings, rate), increment=True)
        for group, key, rate in _RECIPIENT_CAPS
    ]
    return any(capped)


# A page any cache may share: the form carries no per-reader CSRF token and is protected by
# Fetch Metadata / Origin checks instead (publishing.crossorigin).
@public_form
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.method == "GET":
        chosen = _topics_from_query(request)
        form = SignupForm(initial={"topics": [topic.pk for topic in chosen]})
        return render(
            request, "mailinglist/subscriber_form.html", {"form": form, "chosen_topics": chosen}
        )
    if is_ratelimited(
        request,
        group="mailinglist.signup.ip",
        key="ip",
        rate=settings.MAILINGLIST_SIGNUP_RATE_IP,
        increment=True,
    ):
        return render(request, "mailinglist/too_many.html", status=429)
    form = SignupForm(request.POST)
    if not form.is_valid():
        return render(request, "mailinglist/subscriber_form.html", {"form": form}, status=400)
    # Over the per-address, per-mailbox or per-domain limit nothing is sent, but the answer
    # is the same as ever: it must not tell anyone whether the address is on the list, nor
    # let them flood it.
    if not _recipient_capped(request):
        services.subscriber_signup(
            email=form.cleaned_data["email"],
            topics=form.cleaned_data["topics"],
            consent_text=consent_wording(),
        )
    return redirect("mailinglist:check_email")


def check_email(request):
    return render(
        request,
        "mailinglist/subscriber_check_email.html",
        {"confirm_days": settings.MAILINGLIST_CONFIRM_DAYS},
    )


class _BadLink(Exception):
    def __init__(self, status, message):
        self.status, self.message = status, message


def _subscriber_from(request, purpose):
    token = request.POST.get("token") or request.GET.get("token", "")
    try:
        key = read_token(token, purpose)
    except InvalidToken:
        if purpose == CONFIRM:
            raise _BadLink(
                400,
                "This confirmation link has expired or is not complete. Links work for "
                f"{settings.MAILINGLIST_CONFIRM_DAYS} days: sign up again for a new one.",
            ) from None
        raise _BadLink(
            400, "This link is not complete. Copy the whole link from the email and try again."
        ) from None
    subscriber = Subscriber.objects.filter(key=key).first()
    if subscriber is None:
        raise _BadLink(404, "This link no longer works: the address is not on our mailing list.")
    return subscriber


def _bad_link(request, error):
    return render(
        request, "mailinglist/bad_link.html", {"message": error.message}, status=error.status
    )


def _preferences_url(subscriber):
    query = urlencode({"token": make_token(subscriber, PREFERENCES)})
    return f"{reverse('mailinglist:preferences')}?{query}"


# The emailed link only shows a page with one "Confirm" button: link scanners and mail
# previews follow every link in an email, and a GET must not confirm a sign-up nobody asked
# for. The POST is protected like the other public forms (signed token, Fetch Metadata).
@public_form
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request):
    """The confirmation link's page; its button confirms and opens the preferences."""
    try:
        subscriber = _subscriber_from(request, CONFIRM)
    except _BadLink as error:
        return _bad_link(request, error)
    if subscriber.state == State.UNSUBSCRIBED:
        return _bad_link(
            request,
            _BadLink(400, "You unsubscribed after asking for this link: sign up again to rejoin."),
        )
    if request.method != "POST":  # GET or HEAD: a scanner's probe changes nothing either
        token = request.GET.get("token", "")
        return render(request, "mailinglist/subscriber_confirm.html", {"token": token})
    services.subscriber_confirm(subscriber=subscriber)
    messages.success(
        request, "Your subscription is confirmed. Choose your areas of interest below."
    )
    return redirect(_preferences_url(subscriber))


# Opened from an email and never cached, but a reader's page all the same: its form is
# protected like the other public forms (by the signed token and Fetch Metadata), so it sets
# no CSRF cookie and the cookies page's "readers get no cookie" holds here too.
@public_form
@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request):
    try:
        subscriber = _subscriber_from(request, PREFERENCES)
    except _BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.subscriber_update_preferences(
                subscriber=subscriber,
                topics=form.cleaned_data["topics"],
                frequency=form.cleaned_data["frequency"],
                deadline_reminders=form.cleaned_data["deadline_reminders"],
            )
            messages.success(request, "Your preferences are saved.")
            return redirect(_preferences_url(subscriber))
        status = 400
    else:
        form = PreferencesForm(
            initial={
                "topics": subscriber.topics.all(),
                "frequency": subscriber.frequency,
                "deadline_reminders": subscriber.deadline_reminders,
            }
        )
        status = 200
    context = {
        "form": form,
        "subscriber": subscriber,
        "token": request.POST.get("token") or request.GET.get("token"),
        "unsubscribe_token": make_token(subscriber, UNSUBSCRIBE),
    }
    return render(request, "mailinglist/subscriber_preferences.html", context, status=status)


# RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to the List-Unsubscribe URL
# with no cookie and no CSRF token. The signed token is the authority here, and this view
# is the only one exempt from CSRF. A GET only shows a button: link scanners that follow
# every link in an email must not unsubscribe anyone.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request):
    try:
        subscriber = _subscriber_from(request, UNSUBSCRIBE)
    except _BadLink as error:
        return _bad_link(request, error)
    token = request.POST.get("token") or request.GET.get("token")
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(
            request,
            "mailinglist/subscriber_unsubscribed.html",
            {"preferences_token": make_token(subscriber, PREFERENCES)},
        )
    return render(request, "mailinglist/subscriber_unsubscribe.html", {"token": token})
