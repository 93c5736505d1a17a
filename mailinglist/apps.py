"""App configuration for the mailing list."""

from django.apps import AppConfig


class MailinglistConfig(AppConfig):
    name = "mailinglist"
    verbose_name = "Mailing list"
