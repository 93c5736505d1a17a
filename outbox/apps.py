"""App configuration for the outbox: every email the site owes, sent at least once."""

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outbox"
