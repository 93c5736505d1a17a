"""The reviews list: what waits for my review, what was sent back to me, what went out
without review and what is overdue; each row leads to the item's form, where it is decided.
It is also the log of every publication (who published, scheduled or unpublished what, when)."""

import csv

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from publishing.admin import ListInputMixin
from publishing.csvexport import csv_cell
from publishing.services import may_publish
from review.expert import expert_links_revoke
from review.models import LOG_STATES, ExpertLink, Review, ReviewMail, ReviewState


def reviewable_types(user):
    """The content types of the items `user` may review (those they may publish)."""
    ids = []
    for content_type in ContentType.objects.filter(
        pk__in=Review.objects.values("content_type").distinct()
    ):
        model = content_type.model_class()
        if model is not None and may_publish(user=user, model=model):
            ids.append(content_type.pk)
    return ids


def waiting_for(user, *, types=None):
    """Reviews `user` may decide now: in review, of a type they may publish, asked of them or
    of anyone, and not their own work. `types`: reviewable_types(user), when already read."""
    return Review.objects.filter(
        Q(reviewer=None) | Q(reviewer=user),
        state=ReviewState.IN_REVIEW,
        content_type__in=reviewable_types(user) if types is None else types,
    ).exclude(Q(submitted_by=user) | Q(last_changed_by=user))


def sent_back_to(user):
    """Items sent back to `user` and not submitted again since (their latest review)."""
    latest = (
        Review.objects.filter(
            content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
        )
        .exclude(state__in=LOG_STATES)
        .order_by("-pk")
        .values("pk")[:1]
    )
    return Review.objects.filter(
        state=ReviewState.SENT_BACK, submitted_by=user, pk=Subquery(latest)
    )


def visible_reviews(user):
    """The reviews `user` may see listed: of what they may review, and their own."""
    return Review.objects.filter(Q(content_type__in=reviewable_types(user)) | Q(submitted_by=user))


class WhichFilter(admin.SimpleListFilter):
    title = "which"
    parameter_name = "which"

    def lookups(self, request, model_admin):
        return [
            ("mine", "Waiting for my review"),
            ("sent_back", "Sent back to me"),
            ("unreviewed", "Published without review"),
            ("overdue", "Overdue reviews"),
        ]

    def queryset(self, request, queryset):
        user = request.user
        value = self.value()
        if value == "mine":
            return queryset.filter(pk__in=waiting_for(user).values("pk"))
        if value == "sent_back":
            return queryset.filter(pk__in=sent_back_to(user).values("pk"))
        if value == "unreviewed":
            return queryset.filter(state=ReviewState.UNREVIEWED)
        if value == "overdue":
            return queryset.filter(state=ReviewState.IN_REVIEW, due_on__lt=timezone.localdate())
        return queryset


@admin.register(Review)
class ReviewAdmin(ListInputMixin, admin.ModelAdmin):
    """Read-only: reviews are made and decided from the item's own form."""

    list_display = [
        "item_link", "content_type", "state", "submitted_by", "submitted_at", "reviewer",
        "due_on", "decided_by", "decided_at", "note",
    ]  # fmt: skip
    list_display_links = None
    # The audit log's filters: by person, action (state), model and date.
    list_filter = [
        WhichFilter, "state", "content_type",
        ("submitted_by", admin.RelatedOnlyFieldListFilter),
        ("decided_by", admin.RelatedOnlyFieldListFilter),
    ]  # fmt: skip
    list_select_related = ["content_type", "submitted_by", "reviewer", "decided_by"]
    search_fields = ["item_title", "message", "comment"]
    date_hierarchy = "submitted_at"
    actions = ["export_csv"]

    @admin.action(description="Export selected reviews as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="reviews.csv"'
        writer = csv.writer(response)
        writer.writerow([
            "submitted at", "type", "item", "item id", "action", "submitted by", "reviewer",
            "due", "version", "reviewed by", "reviewed at", "note or reason", "comment",
            "published",
        ])  # fmt: skip
        for r in queryset.order_by("submitted_at", "pk"):
            row = [
                r.submitted_at.isoformat(), r.content_type.name, r.item_title, r.object_id,
                r.get_state_display(), r.submitted_by_name, r.reviewer_name,
                r.due_on or "", r.version_id or "", r.decided_by_name,
                r.decided_at.isoformat() if r.decided_at else "", r.message, r.comment,
                "yes" if r.published else "no",
            ]  # fmt: skip
            writer.writerow([csv_cell(value) for value in row])
        return response

    def has_export_permission(self, request):
        return request.user.has_perm("review.export_review")

    def get_queryset(self, request):
        # Only reviews of what the user may review, and their own submissions.
        visible = visible_reviews(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="note or reason")
    def note(self, obj):
        # What was done, for a publication ("Scheduled for 01/03/2027 09:00 (bulk action)").
        return Truncator(obj.message).chars(90)

    @admin.display(description="item", ordering="item_title")
    def item_link(self, obj):
        model = obj.content_type.model_class()
        try:
            opts = model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.object_id])
        except (AttributeError, NoReverseMatch):
            return obj.item_title
        return format_html('<a href="{}">{}</a>', url, obj.item_title)


@admin.register(ReviewMail)
class ReviewMailAdmin(admin.ModelAdmin):
    """Review emails as the outbox holds them (a failed one says why)."""

    list_display = ["subject", "to", "state", "created_at", "sent_at"]
    list_filter = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExpertLink)
class ExpertLinkAdmin(admin.ModelAdmin):
    """Links sent to outside experts: who, for what, until when; revoke them here."""

    list_display = ["email", "content_type", "object_id", "created_by", "created_at",
                    "expires_at", "answered_at", "works"]  # fmt: skip
    list_filter = ["content_type", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["content_type", "created_by"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # made with "Ask an expert" on an item's form

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    @admin.display(description="works", boolean=True)
    def works(self, obj):
        return obj.is_usable and obj.answered_at is None

    @admin.action(description="Revoke selected links now", permissions=["view"])
    def revoke(self, request, queryset):
        revoked = expert_links_revoke(links=queryset)
        self.message_user(request, f"Revoked {revoked} link(s).")
