"""The home page type: a plain Wagtail page, as the project template makes it."""

from wagtail.models import Page


class HomePage(Page):
    pass
