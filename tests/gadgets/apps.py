"""App configuration for gadgets, the tests' own content type."""

from django.apps import AppConfig


class GadgetsConfig(AppConfig):
    name = "tests.gadgets"
    label = "gadgets"
    # A real content app would call declare() from ready(). Here the tests that prove the
    # registry call it (the `gadgets` fixture) and forget it after: declared for the whole
    # run, gadgets would join the keys every other test checks on the search page and the
    # sitemap.
