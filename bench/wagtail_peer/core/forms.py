"""The mailing-list sign-up form: email, topics as checkboxes, consent."""

from django import forms

from .models import Topic


class SignupForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    topics = forms.ModelMultipleChoiceField(
        label="Areas of interest",
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent = forms.BooleanField(
        label=(
            "I agree to Innovate UK Business Connect emailing me updates on funding "
            "opportunities, events and expertise in the areas of interest I choose. "
            "I can unsubscribe at any time from a link in every email."
        )
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "mailing-list-%s")
        super().__init__(*args, **kwargs)
