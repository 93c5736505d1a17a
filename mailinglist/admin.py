"""Admin for the mailing list: subscribers by state and topic, audience per topic, export, erasure."""

import csv

from django.contrib import admin, messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone

from mailinglist import services
from mailinglist.models import Delivery, SignupEmail, State, Subscriber, TopicAudience
from outbox.admin import OutboxAdminMixin
from publishing.admin import ListInputMixin, ReadOnlyAdminMixin
from publishing.csvexport import csv_cell as _csv_cell


@admin.register(Subscriber)
class SubscriberAdmin(ListInputMixin, admin.ModelAdmin):
    list_display = ["email", "state", "frequency", "topic_names", "created_at", "confirmed_at"]
    list_filter = ["state", "frequency", "deadline_reminders", "topics"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    filter_horizontal = ["topics"]
    readonly_fields = [
        "email",
        "state",
        "consent_text",
        "created_at",
        "requested_at",
        "confirmed_at",
        "unsubscribed_at",
        # The reader's own choice, made from their preferences link: never editors'.
        "deadline_reminders",
    ]
    fields = readonly_fields[:2] + ["frequency", "topics"] + readonly_fields[2:]
    actions = ["export_csv", "erase"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    def has_add_permission(self, request):
        # Only the subscriber can join, through double opt-in; editors never add addresses.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Plain delete would leave the address in the admin's history: erase instead.
        actions.pop("delete_selected", None)
        return actions

    def log_deletions(self, request, queryset):
        # The default entry names the object by its email; erasure logs without it.
        return []

    def delete_model(self, request, obj):
        self._erase(request, [obj])

    def delete_queryset(self, request, queryset):
        self._erase(request, list(queryset))

    def _erase(self, request, subscribers):
        ids = [subscriber.pk for subscriber in subscribers]
        count = services.subscribers_erase(subscribers=subscribers)
        content_type = ContentType.objects.get_for_model(Subscriber)
        LogEntry.objects.bulk_create(
            LogEntry(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=str(pk),
                object_repr=f"Erased subscriber #{pk}",
                action_flag=DELETION,
            )
            for pk in ids
        )
        return count

    @admin.display(description="areas of interest")
    def topic_names(self, subscriber):
        return ", ".join(topic.name for topic in subscriber.topics.all())

    @admin.action(description="Export selected subscribers as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["email", "state", "frequency", "areas of interest", "signed up", "confirmed",
             "unsubscribed", "consent wording"]
        )  # fmt: skip
        for subscriber in queryset.prefetch_related("topics"):
            row = [
                subscriber.email,
                subscriber.state,
                subscriber.frequency,
                "; ".join(topic.name for topic in subscriber.topics.all()),
                subscriber.created_at.isoformat(),
                subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
                subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else "",
                subscriber.consent_text,
            ]
            writer.writerow([_csv_cell(value) for value in row])
        return response

    @admin.action(
        description="Erase selected subscribers (with their deliveries and history)",
        permissions=["delete"],
    )
    def erase(self, request, queryset):
        count = self._erase(request, list(queryset))
        self.message_user(request, f"Erased {count} subscriber(s).", messages.SUCCESS)


@admin.register(Delivery)
class DeliveryAdmin(OutboxAdminMixin, admin.ModelAdmin):
    """Alerts owed and sent; *Failed* are the dead letters, which "Retry" sends again."""

    list_display = [
        "subscriber", "content_type", "object_id", "state", "attempts", "next_attempt_at",
        "sent_at",
    ]  # fmt: skip
    list_filter = ["state", "content_type"]
    search_fields = ["subscriber__email"]
    list_select_related = ["subscriber", "content_type"]
    readonly_fields = [
        "subscriber", "content_type", "object_id", "state", "attempts", "last_error",
        "next_attempt_at", "created_at", "claimed_at", "sent_at",
    ]  # fmt: skip


@admin.register(SignupEmail)
class SignupEmailAdmin(OutboxAdminMixin, admin.ModelAdmin):
    """Confirmation and preferences emails owed to sign-ups; retry the failed ones."""

    list_display = ["subscriber", "kind", "state", "attempts", "next_attempt_at", "created_at"]
    list_filter = ["state", "kind"]
    search_fields = ["subscriber__email"]
    list_select_related = ["subscriber"]
    readonly_fields = [
        "subscriber", "kind", "state", "attempts", "last_error", "next_attempt_at",
        "created_at", "claimed_at",
    ]  # fmt: skip


@admin.register(TopicAudience)
class TopicAudienceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "confirmed_subscribers", "pending_subscribers"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed=Count("subscribers", filter=Q(subscribers__state=State.CONFIRMED)),
                pending=Count("subscribers", filter=Q(subscribers__state=State.PENDING)),
            )
        )

    @admin.display(description="confirmed subscribers", ordering="confirmed")
    def confirmed_subscribers(self, topic):
        return topic.confirmed

    @admin.display(description="awaiting confirmation", ordering="pending")
    def pending_subscribers(self, topic):
        return topic.pending
