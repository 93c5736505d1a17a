"""Signals other apps listen to without importing the content apps."""

from django.dispatch import Signal

# Sent when an item becomes visible to readers: sender is the model class, `instance` the
# item. Listeners (the mailing list's topic alerts) must tolerate hearing of an item twice.
content_went_live = Signal()
