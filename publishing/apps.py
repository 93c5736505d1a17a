"""App configuration for the publishing kernel."""

from django.apps import AppConfig, apps
from django.db.models.signals import post_save


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from publishing.models import Publishable
        from publishing.signals import send_content_went_live

        # Every concrete Publishable, whichever app defines it, announces going live, so
        # listeners (the mailing list) never import the content apps.
        for model in apps.get_models():
            if issubclass(model, Publishable):
                post_save.connect(
                    send_content_went_live,
                    sender=model,
                    dispatch_uid=f"publishing.content_went_live.{model._meta.label}",
                )
