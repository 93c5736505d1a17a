"""Public pages for the mailing list."""

from django.views.generic import TemplateView


class SignupView(TemplateView):
    template_name = "mailinglist/subscriber_form.html"
