"""The event's admin forms: its times make sense, a rescheduled event keeps its old date, and an
attached file (slides, recording) is checked by its bytes."""

from django import forms
from django.core.files.uploadedfile import UploadedFile

from events import files
from events.models import MAX_DURATION, Event, EventFile, EventFormat, EventStatus
from events.timing import day
from publishing.admin import PublishableAdminForm


class EventAdminForm(PublishableAdminForm):
    # Links typed without a scheme are taken as https (Django 6's default, chosen now).
    registration_url = forms.URLField(
        label="Registration link",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=Event._meta.get_field("registration_url").help_text,
    )
    recording_url = forms.URLField(
        label="Recording",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=Event._meta.get_field("recording_url").help_text,
    )

    class Meta:
        model = Event
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_at"), cleaned.get("end_at")
        if start and end and end <= start:
            self.add_error("end_at", "The end must be after the start.")
        elif start and end and end - start > MAX_DURATION:
            self.add_error(
                "end_at",
                f"An event lasts at most {MAX_DURATION.days} days: add a series as one event "
                "per session.",
            )
        status = cleaned.get("event_status")
        stored_start = self.initial.get("start_at") if self.instance.pk else None
        if status == EventStatus.RESCHEDULED and start and not cleaned.get("previous_start_at"):
            if stored_start and stored_start != start:
                # The date readers were first given, kept so the page can say "Moved from".
                cleaned["previous_start_at"] = stored_start
                self.instance.previous_start_at = stored_start
            else:
                self.add_error(
                    "previous_start_at",
                    "Say which date it was moved from, or change its start to the new date.",
                )
        previous = cleaned.get("previous_start_at")
        if status == EventStatus.RESCHEDULED and previous and start and previous == start:
            self.add_error(
                "start_at",
                f"A rescheduled event needs a new start: it still starts on {day(previous)}.",
            )
        capacity = cleaned.get("capacity")
        if capacity is not None and self.instance.pk:
            taken = self.instance.registrations.filter(state="place").count()
            if capacity < taken:
                self.add_error(
                    "capacity",
                    f"{taken} people already have a place: the capacity cannot be lower.",
                )
        if cleaned.get("registration_here") and cleaned.get("registration_url"):
            self.add_error(
                "registration_url",
                "Choose one way to register: here on this site, or this outside link.",
            )
        fmt = cleaned.get("format")
        if fmt in (EventFormat.IN_PERSON, EventFormat.HYBRID) and not cleaned.get("venue_name"):
            self.add_error("venue_name", "Name the venue: readers need to know where to go.")
        return cleaned


CONSENT_TEXT = (
    "I agree that the organisers keep these details to run this event, and delete them after it."
)


class RegistrationForm(forms.Form):
    """A reader registering for an event on this site."""

    name = forms.CharField(max_length=200, error_messages={"required": "Enter your name."})
    email = forms.EmailField(
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
        help_text="We send your confirmation and the calendar file here.",
    )
    organisation = forms.CharField(max_length=200, required=False)
    accessibility_needs = forms.CharField(
        label="Accessibility needs (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Keep it under 1,000 characters (it has %(show_value)d)."},
        help_text="Anything that would help you take part: step-free access, captions, a "
        "hearing loop...",
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": "Tick the box to agree, or we cannot register you."},
    )


class EventFileAdminForm(forms.ModelForm):
    """Checks a new upload by its bytes (events.files) before anything is stored, and records
    its type and size; a bad file is a message beside the field, never a stored file."""

    class Meta:
        model = EventFile
        fields = ["event", "kind", "title", "file", "position"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Only a new upload is checked; an unchanged file was checked when it arrived.
        if isinstance(upload, UploadedFile):
            self.instance.file_type, self.instance.file_size = files.identify(upload)
        return upload
