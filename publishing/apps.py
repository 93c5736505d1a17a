"""App configuration for the publishing kernel."""

from datetime import timedelta

from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save


def send_outbox_job():
    """The scheduled safety net behind the worker: every email still owed and due."""
    from publishing.outbox import outbox_drain

    return {str(outcome): count for outcome, count in outbox_drain().items()}


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from scheduling import register_job

        register_job(
            "send_outbox",
            send_outbox_job,
            every=timedelta(minutes=5),
            description="Every email still owed and due: enquiries, sign-up emails, alerts.",
        )
        from publishing.models import Publishable
        from publishing.richtext import RichTextField
        from publishing.signals import (
            body_images_forget,
            body_images_record,
            send_content_went_live,
            working_copy_forget,
        )

        for model in apps.get_models():
            # Every concrete Publishable, whichever app defines it, announces going live, so
            # listeners (the mailing list) never import the content apps.
            if issubclass(model, Publishable):
                post_save.connect(
                    send_content_went_live,
                    sender=model,
                    dispatch_uid=f"publishing.content_went_live.{model._meta.label}",
                )
                post_delete.connect(
                    working_copy_forget,
                    sender=model,
                    dispatch_uid=f"publishing.working_copy_forget.{model._meta.label}",
                )
            # Every model with rich text tells the library which images its text uses.
            if any(isinstance(field, RichTextField) for field in model._meta.concrete_fields):
                post_save.connect(
                    body_images_record,
                    sender=model,
                    dispatch_uid=f"publishing.body_images.{model._meta.label}",
                )
                post_delete.connect(
                    body_images_forget,
                    sender=model,
                    dispatch_uid=f"publishing.body_images_forget.{model._meta.label}",
                )
