"""The enquiry form: what a reader writes to a contact, checked before anything is stored."""

import re
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from contacts.models import Enquiry

# Line breaks (and other control characters) in a name or subject would end up in mail
# headers; Django would refuse to send them, so they are refused here with a clear message.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
TOKEN_NAMESPACE = uuid.UUID("5c3f0f1e-7d1a-4b8e-9a55-0d1f2e3c4b5a")


def single_line(value):
    if _CONTROL.search(value):
        raise ValidationError("Write this on one line, without line breaks.", code="multiline")


def _limits(label, max_length):
    return {
        "required": f"Enter {label}.",
        "max_length": f"{label[0].upper()}{label[1:]} must be {max_length:,} characters or "
        "fewer (it has %(show_value)s).",
    }


def consent_wording(contact):
    return (
        f"I agree that {settings.SITE_NAME} may keep these details and pass them to "
        f"{contact.name} so that they can reply to my enquiry."
    )


def enquiry_token(contact, data):
    """The one-time token of a post that brought none: the same words to the same contact
    from the same address on the same day are one enquiry, however often they are posted."""
    words = "\x1f".join(
        [str(contact.pk), data["email"].lower(), data["subject"], data["message"]]
        + [timezone.localdate().isoformat()]
    )
    return uuid.uuid5(TOKEN_NAMESPACE, words)


class EnquiryForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=150,
        validators=[single_line],
        error_messages=_limits("your name", 150),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={
            **_limits("your email address", 254),
            "invalid": "Enter an email address in the correct format, like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label="Organisation (optional)",
        max_length=200,
        required=False,
        validators=[single_line],
        error_messages=_limits("the organisation", 200),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    subject = forms.CharField(
        max_length=200,
        validators=[single_line],
        error_messages=_limits("a subject", 200),
    )
    message = forms.CharField(
        max_length=Enquiry._meta.get_field("message").max_length,
        error_messages=_limits("your message", 5000),
        help_text="Up to 5,000 characters.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    consent = forms.BooleanField(
        error_messages={"required": "Tick the box to agree, so that we can pass on your message."}
    )
    # The honeypot: hidden from people (and screen readers), filled in by naive bots.
    website = forms.CharField(label="Leave this field empty", required=False, max_length=200)
    # The one-time token tells a double submit from a second enquiry. It is not in the page
    # (pages are shared by every reader and any cache): the server issues it on the POST, from
    # what was written (enquiry_token), and re-shows it in a form returned with errors.
    token = forms.UUIDField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": "This form has expired. Please send it again."},
    )

    def __init__(self, *args, contact, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.contact = contact
        self.fields["consent"].label = consent_wording(contact)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))

    def enquiry_fields(self):
        """The cleaned values, named as enquiry_submit wants them."""
        data = self.cleaned_data
        return {
            "token": data["token"] or enquiry_token(self.contact, data),
            "name": data["name"],
            "email": data["email"],
            "organisation": data["organisation"],
            "subject": data["subject"],
            "message": data["message"],
            "consent_text": consent_wording(self.contact),
        }
