"""App configuration for the image library: every picture the site shows, uploaded once."""

from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "Image library"
