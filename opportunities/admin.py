"""Admin for funding opportunities: the publishing rules of posts, plus their dates and state."""

from functools import partial

from django import forms
from django.contrib import admin
from django.db.models import F, Q
from django.utils import timezone

from opportunities import deadlines
from opportunities.deadlines import State
from opportunities.models import Opportunity
from publishing.admin import PublishableAdmin, PublishableAdminForm, StateFilter

CLOSING_THIS_WEEK = "this-week"


class OpportunityAdminForm(PublishableAdminForm):
    class Meta:
        model = Opportunity
        fields = "__all__"
        # An address typed without a scheme is read as https, never http.
        field_classes = {
            name: partial(forms.URLField, assume_scheme="https")
            for name in ("apply_url", "briefing_url")
        }
        error_messages = {
            name: {"invalid": "Enter the amount in whole pounds, digits only: 500000 for £500k."}
            for name in ("total_pot", "award_max")
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "closes_at",
                f"The closing time ({deadlines.when_text(closes)}) must be after the opening "
                f"time ({deadlines.when_text(opens)}).",
            )
        return cleaned


class OpportunityStateFilter(admin.SimpleListFilter):
    """Upcoming, open, closing this week, closed: from the dates at this moment."""

    title = "applications"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            (State.UPCOMING, "Upcoming"),
            (State.OPEN, "Open"),
            (CLOSING_THIS_WEEK, "Closing this week"),
            (State.CLOSED, "Closed"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        now = timezone.now()
        if value == CLOSING_THIS_WEEK:
            return queryset.in_state(State.CLOSING_SOON, now).order_by("closes_at", "pk")
        if value in (State.UPCOMING, State.OPEN, State.CLOSED):
            return queryset.in_state(value, now)
        return queryset


class ApplyLinkFilter(admin.SimpleListFilter):
    """Apply links the scheduled check found broken (4xx, 5xx, no answer), or not checked."""

    title = "apply link"
    parameter_name = "apply_link"

    def lookups(self, request, model_admin):
        return [("broken", "Broken"), ("answers", "Answers"), ("unchecked", "Not checked yet")]

    def queryset(self, request, queryset):
        # A check of another address (the link changed since) counts as none.
        current = Q(apply_link_check__url=F("apply_url"))
        if self.value() == "broken":
            return queryset.filter(current, apply_link_check__ok=False)
        if self.value() == "answers":
            return queryset.filter(current, apply_link_check__ok=True)
        if self.value() == "unchecked":
            return queryset.exclude(apply_url="").exclude(current)
        return queryset


@admin.register(Opportunity)
class OpportunityAdmin(PublishableAdmin):
    form = OpportunityAdminForm
    list_display = [
        "title", "state", "applications", "closes_at", "funder", "topic_names", "apply_link",
    ]  # fmt: skip
    list_filter = [
        StateFilter, OpportunityStateFilter, ApplyLinkFilter, "topics", "funding_type", "funder",
    ]  # fmt: skip
    search_fields = ["title", "standfirst", "funder", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["contacts", "reports"]
    date_hierarchy = "closes_at"
    ordering = ["-closes_at", "-pk"]
    image_field = "image"
    readonly_fields = ["dates_note"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        ("Dates (UK time)", {"fields": ["opens_at", "closes_at", "dates_note"]}),
        (
            "Funding",
            {
                "fields": [
                    *("funder", "funding_type", "total_pot", "award_max", "award_text"),
                    *("project_size", "project_length"),
                ]
            },
        ),
        (
            "Who can apply",
            {
                "fields": [
                    *("eligible_any_business", "eligible_sme", "eligible_large"),
                    *("eligible_research", "eligible_charity_public", "eligibility"),
                ]
            },
        ),
        ("Applying", {"fields": ["apply_url", "briefing_title", "briefing_url"]}),
        ("Image", {"fields": ["image"]}),
        ("Links", {"fields": ["topics", "contacts", "reports"]}),
        ("Publishing", {"fields": ["status", "publish_at", "expire_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("apply_link_check")
            .prefetch_related("topics")
        )

    @admin.display(description="apply link")
    def apply_link(self, obj):
        check = getattr(obj, "apply_link_check", None)
        if not obj.apply_url:
            return "—"
        if check is None or check.url != obj.apply_url:
            return "Not checked yet"
        if check.ok:
            return "Answers"
        return f"Broken: {check.error} (checked {deadlines.date_text(check.checked_at)})"

    @admin.display(description="applications", ordering="closes_at")
    def applications(self, obj):
        return obj.state_line

    def save_model(self, request, obj, form, change):
        # A live call whose dates change tells its readers so, under the dates.
        if change and not self.storing_working_copy(request) and obj.has_been_live:
            note = dates_note(form)
            if note:
                obj.dates_note = note
        super().save_model(request, obj, form, change)


def dates_note(form):
    """ "Closing date extended to 11am BST on 21 April 2021." for a changed deadline or opening."""
    initial, cleaned = form.initial, form.cleaned_data
    parts = []
    before, after = initial.get("closes_at"), cleaned.get("closes_at")
    if before and after and before != after:
        word = "extended" if after > before else "brought forward"
        parts.append(f"Closing date {word} to {deadlines.when_text(after)}.")
    before, after = initial.get("opens_at"), cleaned.get("opens_at")
    if before and after and before != after:
        parts.append(f"Opening date changed to {deadlines.when_text(after)}.")
    return " ".join(parts)
