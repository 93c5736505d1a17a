"""App configuration for the site-wide pages and commands."""

from django.apps import AppConfig


class KtnsiteConfig(AppConfig):
    name = "ktnsite"
    verbose_name = "Site"
