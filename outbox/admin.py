"""Admin parts for any outbox model: its delivery state as a filter, and retrying dead letters."""

from django.contrib import admin, messages

from outbox.delivery import outbox_retry


class OutboxAdminMixin:
    """Put before ModelAdmin in the bases, and list "retry_failed" in `actions`; filter
    by "state" to show the dead letters (*Failed*)."""

    outbox_fields = ["state", "attempts", "last_error", "next_attempt_at", "claimed_at"]

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
