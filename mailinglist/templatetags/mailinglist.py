"""Template tags for the mailing list: the sign-up form on any page, without a view's help."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from mailinglist.forms import SignupForm

register = template.Library()

# A constant of ours, not user input: format_html() without arguments is deprecated (Django 6.0).
CHECKED = mark_safe(" checked")  # noqa: S308


@register.simple_tag
def signup_form(topics=None):
    """An empty sign-up form, so article and home pages need not import the mailing list.

    `topics` are ticked already: on an article, its own areas of interest.
    """
    if not topics:
        return SignupForm()
    return SignupForm(initial={"topics": [topic.pk for topic in topics]})


@register.simple_tag
def topic_checkboxes(form, topics=None):
    """The sign-up form's topic boxes, ticked as posted or pre-ticked.

    `topics`: every topic, when the page has read them already (the home page lists them),
    saving the form's own query; else the form's choices are read.

    Written here rather than with {{ checkbox.tag }} or a template loop: one widget template
    per topic was a fifth of an uncached article's time, and a template loop still half of
    the sign-up block's. Same markup.
    """
    field = form["topics"]
    chosen = form.chosen_topic_ids()
    return format_html_join(
        "",
        '<div class="checkbox"><input type="checkbox" name="{}" value="{}" id="{}"{}> '
        '<label for="{}">{}</label></div>',
        (
            (
                field.html_name,
                topic.pk,
                f"{field.auto_id}_{number}",
                CHECKED if str(topic.pk) in chosen else "",
                f"{field.auto_id}_{number}",
                topic.name,
            )
            for number, topic in enumerate(topics or form.fields["topics"].queryset)
        ),
    )
