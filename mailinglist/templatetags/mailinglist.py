"""Template tags for the mailing list: the sign-up form on any page, without a view's help."""

from django import template

from mailinglist.forms import SignupForm

register = template.Library()


@register.simple_tag
def signup_form(topics=None):
    """An empty sign-up form, so article and home pages need not import the mailing list.

    `topics` are ticked already: on an article, its own areas of interest.
    """
    if not topics:
        return SignupForm()
    return SignupForm(initial={"topics": [topic.pk for topic in topics]})
