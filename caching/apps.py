"""App configuration for caching: what readers see is kept, and purged when it changes."""

from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "caching"
    verbose_name = "Caching"
