"""Admin for news posts."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path, reverse

from news.models import Post, PostChange
from news.services import post_mark_major_change
from publishing.admin import ListInputMixin, PublishableAdmin, PublishableAdminForm, StateFilter
from reports.models import Report


class PostAdminForm(PublishableAdminForm):
    major_change = forms.BooleanField(
        label="This is a major change",
        required=False,
        help_text='Readers then see "Last updated" with today\'s date and your note. '
        "Leave it unticked for typo fixes and small edits.",
    )
    major_change_note = forms.CharField(
        label="Note for readers",
        max_length=300,
        required=False,
        help_text="One sentence on what changed, e.g. “Corrected the funding total.”",
    )

    class Meta:
        model = Post
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("major_change") and not cleaned.get("major_change_note", "").strip():
            self.add_error("major_change_note", "Say in one sentence what changed.")
        return cleaned


@admin.register(Post)
class PostAdmin(PublishableAdmin):
    form = PostAdminForm
    list_display = ["title", "state", "publish_at", "topic_names", "thumbnail", "is_featured"]
    list_filter = [StateFilter, "topics", "is_featured"]
    search_fields = ["title", "standfirst", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["report", "contacts"]
    date_hierarchy = "publish_at"
    image_field = "hero_image"
    readonly_fields = ["major_change_at", "change_note"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        ("Hero image", {"fields": ["hero_image"]}),
        ("Links", {"fields": ["topics", "report", "contacts"]}),
        ("Publishing", {"fields": ["status", "publish_at", "expire_at", "is_featured"]}),
        (
            "Change note",
            {
                "fields": ["major_change", "major_change_note", "major_change_at", "change_note"],
                "description": "Only for editing a post readers have already seen.",
            },
        ),
    ]

    class Media:
        js = ["js/admin_post_topics.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    # Picking a post's report ticks the report's topics when none is ticked yet (a post about
    # a report is nearly always in its topics): static/js/admin_post_topics.js asks here.
    def get_urls(self):
        view = self.admin_site.admin_view(self.report_topics_view)
        return [
            path("report-topics/<int:pk>/", view, name="news_post_report_topics"),
            *super().get_urls(),
        ]

    def report_topics_view(self, request, pk):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        report = Report.objects.filter(pk=pk).first()
        topics = list(report.topics.values_list("pk", flat=True)) if report else []
        return JsonResponse({"topics": topics})

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "report" and formfield is not None:
            url = reverse("admin:news_post_report_topics", args=[0])
            getattr(formfield.widget, "widget", formfield.widget).attrs["data-topics-url"] = url
        return formfield

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.has_been_live:
            # Change notes are for readers who saw the post: none yet.
            return [(name, options) for name, options in fieldsets if name != "Change note"]
        for name, options in fieldsets:
            if name == "Change note":
                # "Updated on" and the note are set by the tick box, never typed: shown once set.
                options["fields"] = [
                    field
                    for field in options["fields"]
                    if field not in ("major_change_at", "change_note") or getattr(obj, field)
                ]
        return fieldsets

    def save_model(self, request, obj, form, change):
        # Kept with draft changes (and shown again) until they are published.
        storing = self.storing_working_copy(request)
        if change and form.cleaned_data.get("major_change") and not storing:
            post_mark_major_change(post=obj, note=form.cleaned_data["major_change_note"])
        super().save_model(request, obj, form, change)


@admin.register(PostChange)
class PostChangeAdmin(ListInputMixin, admin.ModelAdmin):
    """The notes readers see under "Updates to this page": fix a note's wording here.

    They are added by ticking "This is a major change" on a post, never here.
    """

    list_display = ["note", "post", "changed_at"]
    list_select_related = ["post"]
    search_fields = ["note", "post__title"]
    readonly_fields = ["post", "changed_at"]
    fields = ["post", "changed_at", "note"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False
