"""App configuration for the site-wide pages and commands."""

from datetime import timedelta

from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed


def search_words_job():
    from ktnsite.models import SearchWord
    from ktnsite.suggestions import words_rebuild

    words_rebuild()
    return {"words": SearchWord.objects.count()}


def send_opportunity_reminders_job():
    from ktnsite.reminders import opportunity_reminders_send

    tally = opportunity_reminders_send()
    return {name: int(count) for name, count in tally.items()}


class KtnsiteConfig(AppConfig):
    name = "ktnsite"
    verbose_name = "Site"

    def ready(self):
        from caching import frontcache, pagecache
        from ktnsite import (
            checks,  # noqa: F401 - registers the deployment checks
            logs,
            metrics,
            security,
            sitepages,
            suggestions,
            surrogates,
        )
        from ktnsite.related import opportunity_related_posts
        from news.models import Post
        from opportunities.models import Opportunity
        from publishing.backlinks import register_backlinks
        from scheduling import register_job

        # Which models readers see (the allow-list), then: a change to one of them empties
        # the in-app page cache and purges its keys from the front caches after the commit.
        register_job(
            "search_words",
            search_words_job,
            every=timedelta(days=1),
            at=timedelta(hours=3, minutes=30),
            description="Rebuilds the words 'Did you mean …?' suggests from what is live now.",
        )
        register_job(
            "send_opportunity_reminders",
            send_opportunity_reminders_job,
            every=timedelta(hours=1),
            at=timedelta(minutes=7),
            description="Deadline reminders a week before a funding opportunity closes.",
        )
        # An opportunity's page lists the newest posts on its topics.
        register_backlinks(Opportunity, opportunity_related_posts, source=Post, name="posts")
        surrogates.declare()
        frontcache.connect_signals()
        pagecache.connect_signals()
        sitepages.connect_signals()
        suggestions.connect_signals()
        logs.connect_signals()
        metrics.connect_signals()
        user_login_failed.connect(security.count_failed_login, dispatch_uid="login-address")
