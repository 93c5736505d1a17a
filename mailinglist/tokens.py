"""Signed links for subscribers who have no account: confirm, preferences and unsubscribe."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.http import urlencode

from publishing.sharing import absolute_url

# One salt per purpose, so a preferences token can never be used as a confirmation.
CONFIRM = "mailinglist.confirm"
PREFERENCES = "mailinglist.preferences"
UNSUBSCRIBE = "mailinglist.unsubscribe"

_ROUTES = {CONFIRM: "confirm", PREFERENCES: "preferences", UNSUBSCRIBE: "unsubscribe"}


class InvalidToken(Exception):
    """The link was tampered with, truncated or has expired."""


def make_token(subscriber, purpose):
    return signing.dumps(str(subscriber.key), salt=purpose, compress=True)


def read_token(token, purpose):
    """Return the subscriber key a token names, or raise InvalidToken."""
    max_age = timedelta(days=settings.MAILINGLIST_CONFIRM_DAYS) if purpose == CONFIRM else None
    try:
        return signing.loads(token or "", salt=purpose, max_age=max_age)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature too
        raise InvalidToken(str(error)) from error


def token_url(subscriber, purpose, *, absolute=True):
    path = reverse(f"mailinglist:{_ROUTES[purpose]}")
    url = f"{path}?{urlencode({'token': make_token(subscriber, purpose)})}"
    return absolute_url(url) if absolute else url
