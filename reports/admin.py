"""Admin for reports."""

from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat

from publishing.admin import PublishableAdmin, StateFilter
from reports.forms import ReportAdminForm
from reports.models import Report
from reports.services import report_file_read

# Read from the file on upload, so shown to editors but never edited by them.
FILE_FACTS = ["file_type", "size", "page_count", "file_note", "text_preview", "downloads"]


@admin.register(Report)
class ReportAdmin(PublishableAdmin):
    form = ReportAdminForm
    list_display = [
        "title", "state", "publish_at", "topic_names", "thumbnail", "file_type", "size",
        "page_count", "downloads",
    ]  # fmt: skip
    list_filter = [StateFilter, "topics", "file_type"]
    search_fields = ["title", "summary", "extracted_text"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["accessible_format_contact"]
    date_hierarchy = "publish_at"
    readonly_fields = FILE_FACTS
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topics"]}),
        ("File", {"fields": ["file", *FILE_FACTS, "accessible_format_contact"]}),
        ("Cover", {"fields": ["cover_image"]}),
        ("Publishing", {"fields": ["status", "publish_at", "expire_at"]}),
    ]
    image_field = "cover_image"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description="size", ordering="file_size")
    def size(self, obj):
        return filesizeformat(obj.file_size) if obj.file_size is not None else "–"

    @admin.display(description="text read for search")
    def text_preview(self, obj):
        if not obj.extracted_text:
            return "–"
        more = len(obj.extracted_text) - 600
        return obj.extracted_text[:600] + (f" … ({more:,} more characters)" if more > 0 else "")

    @admin.display(description="downloads", ordering="download_count")
    def downloads(self, obj):
        return obj.download_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        form.kept_uploads_done()  # the report (or its draft changes) has its own copy now
        if self.storing_working_copy(request):
            return  # a file chosen with draft changes is read when they are published
        # A file chosen with unpublished changes is new to the stored report too.
        if "file" in form.changed_data or "file" in getattr(obj, "working_copy_changed", ()):
            report_file_read(report=obj)
            if obj.file_note:
                messages.warning(request, f"“{obj}”: {obj.file_note}")
