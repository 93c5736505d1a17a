"""Forms for the mailing list: sign-up and preferences."""

from django import forms
from django.conf import settings

from mailinglist.models import Frequency
from topics.models import Topic


def consent_wording():
    """The words a subscriber agrees to; stored with them exactly as shown."""
    return (
        f"I agree to {settings.SITE_NAME} emailing me updates on funding opportunities, "
        "events and expertise in the areas of interest I choose. I can unsubscribe at any "
        "time from a link in every email."
    )


class TopicsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    @staticmethod
    def live_topics():
        return Topic.objects.live().only("pk", "name")

    def __init__(self, **kwargs):
        super().__init__(
            queryset=self.live_topics(),
            required=False,
            label="Areas of interest",
            error_messages={
                "invalid_choice": "Choose areas of interest from the list.",
                "invalid_pk_value": "Choose areas of interest from the list.",
            },
            **kwargs,
        )

    def __deepcopy__(self, memo):
        # Each form gets its own copy of a class-level field: `live()` is asked again then,
        # not frozen at the moment the form class was made (a topic published later shows).
        result = super().__deepcopy__(memo)
        result.queryset = self.live_topics()
        return result


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.org.",
            "max_length": "Enter an email address of at most 254 characters.",
        },
    )
    topics = TopicsField()
    consent = forms.BooleanField(
        error_messages={"required": "Tick the box to agree, so that we may email you."}
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "mailing-list-%s")
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_wording()

    def chosen_topic_ids(self):
        """The ticked topics' ids as strings (posted, or pre-ticked by a topic hub's link), for
        includes/mailing_list_form.html, which writes the boxes out itself."""
        return {str(getattr(value, "pk", value)) for value in self["topics"].value() or ()}


class PreferencesForm(forms.Form):
    topics = TopicsField()
    frequency = forms.ChoiceField(
        label="How often", choices=Frequency.choices, widget=forms.RadioSelect
    )
    deadline_reminders = forms.BooleanField(
        required=False,
        label="Remind me a week before a funding opportunity in my areas closes",
    )
