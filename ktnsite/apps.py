"""App configuration for the site-wide pages and commands."""

from django.apps import AppConfig


class KtnsiteConfig(AppConfig):
    name = "ktnsite"
    verbose_name = "Site"

    def ready(self):
        from ktnsite import (
            checks,  # noqa: F401 - registers the deployment checks
            pagecache,
            sitepages,
        )

        # Any saved or deleted content makes every cached page stale (ktnsite.pagecache).
        pagecache.connect_signals()
        sitepages.connect_signals()
