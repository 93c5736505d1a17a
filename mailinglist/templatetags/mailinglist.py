"""Template tags for the mailing list: the sign-up form on any page, without a view's help."""

from django import template

from mailinglist.forms import SignupForm

register = template.Library()


@register.simple_tag
def signup_form():
    """An empty sign-up form, so article and home pages need not import the mailing list."""
    return SignupForm()
