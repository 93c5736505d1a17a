"""App configuration for the publishing kernel."""

from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from caching.frontcache import declare_public_base
        from library.services import register_pending_uses, register_text_model
        from publishing.models import PublicationFields
        from publishing.richtext import RichTextField
        from publishing.services import image_working_copy_uses
        from publishing.signals import (
            body_images_forget,
            body_images_record,
            send_content_went_live,
            working_copy_forget,
        )

        # Readers see every Publishable, live and taken down at its own times.
        declare_public_base(PublicationFields)
        # Unpublished changes hold images by id only: the library must not let those go.
        register_pending_uses(image_working_copy_uses)
        for model in apps.get_models():
            # Every concrete Publishable, whichever app defines it, announces going live, so
            # listeners (the mailing list) never import the content apps.
            if issubclass(model, PublicationFields):
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
                register_text_model(model)
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
