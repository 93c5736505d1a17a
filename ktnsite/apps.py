"""App configuration for the site-wide pages and commands."""

from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed


class KtnsiteConfig(AppConfig):
    name = "ktnsite"
    verbose_name = "Site"

    def ready(self):
        from caching import frontcache, pagecache
        from ktnsite import (
            checks,  # noqa: F401 - registers the deployment checks
            security,
            sitepages,
            suggestions,
            surrogates,
        )

        # Which models readers see (the allow-list), then: a change to one of them empties
        # the in-app page cache and purges its keys from the front caches after the commit.
        surrogates.declare()
        frontcache.connect_signals()
        pagecache.connect_signals()
        sitepages.connect_signals()
        suggestions.connect_signals()
        user_login_failed.connect(security.count_failed_login, dispatch_uid="login-address")
