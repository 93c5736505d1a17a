"""App configuration for reviews: installs the review hook the publishing admin asks."""

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from publishing.review_hook import register_review_hook
        from review.hook import AdminReviewHook

        register_review_hook(AdminReviewHook())
