"""App configuration for contacts."""

from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
