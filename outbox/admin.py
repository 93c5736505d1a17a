"""Admin parts for any outbox model: its delivery state as a filter, and retrying dead letters."""

from django.contrib import admin, messages

from outbox.delivery import outbox_retry


class OutboxAdminMixin:
    """Put before ModelAdmin in the bases; filter by "state" to show the dead letters
    (*Failed*), which the "retry_failed" action sends again. The site makes every outbox
    message (a reader's action or a job does), so nobody adds one by hand here."""

    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry selected failed messages", permissions=["change"])
    def retry_failed(self, request, queryset):
        count = outbox_retry(queryset)
        if count:
            self.message_user(
                request, f"{count} failed message(s) queued to send again.", messages.SUCCESS
            )
        else:
            self.message_user(
                request, "None of the selected messages had failed.", messages.WARNING
            )
