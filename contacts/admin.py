"""Admin for contacts and the enquiries inbox."""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from contacts import services
from contacts.models import Contact, Enquiry
from publishing.admin import EditorialAdmin


@admin.register(Contact)
class ContactAdmin(EditorialAdmin):
    list_display = ["name", "job_title", "team", "thumbnail", "is_active", "enquiry_count"]
    list_filter = ["is_active", "topics"]
    search_fields = ["name", "job_title", "team", "email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["topics"]
    image_fields = [("photo", "photo_renditions")]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(enquiry_total=Count("enquiries"))

    @admin.display(description="enquiries", ordering="enquiry_total")
    def enquiry_count(self, contact):
        url = reverse("admin:contacts_enquiry_changelist") + f"?contact__id__exact={contact.pk}"
        return format_html('<a href="{}">{}</a>', url, contact.enquiry_total)


class HandledFilter(admin.SimpleListFilter):
    title = "handled"
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", "Not yet handled"), ("yes", "Handled")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(handled_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(handled_at__isnull=False)
        return queryset


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    """The inbox: what readers wrote is kept as they wrote it, so nothing here is editable."""

    list_display = [
        "created_at", "contact", "name", "subject", "state", "attempts", "sent_at", "is_handled",
    ]  # fmt: skip
    list_filter = ["state", HandledFilter, "created_at", "contact"]
    list_select_related = ["contact"]
    search_fields = ["name", "email", "organisation", "subject", "message", "contact__name"]
    date_hierarchy = "created_at"
    actions = ["mark_handled", "resend_failed"]
    fieldsets = [
        (None, {"fields": ["contact", "name", "email", "organisation", "subject", "message"]}),
        ("Consent", {"fields": ["consent_text"]}),
        (
            "Delivery",
            {
                "fields": [
                    "created_at", "state", "attempts", "last_error", "next_attempt_at",
                    "sent_at", "acknowledged_at", "handled_at",
                ]
            },
        ),
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False  # enquiries come from readers, through the form

    @admin.display(description="handled", boolean=True, ordering="handled_at")
    def is_handled(self, enquiry):
        return enquiry.handled_at is not None

    @admin.action(description="Mark selected enquiries as handled", permissions=["change"])
    def mark_handled(self, request, queryset):
        count = services.enquiries_mark_handled(enquiries=queryset)
        self.message_user(request, f"{count} enquiries marked as handled.", messages.SUCCESS)

    @admin.action(description="Resend selected failed enquiries", permissions=["change"])
    def resend_failed(self, request, queryset):
        count = services.enquiries_resend_failed(enquiries=queryset)
        if count:
            self.message_user(
                request, f"{count} failed enquiries queued to send again.", messages.SUCCESS
            )
        else:
            self.message_user(
                request, "None of the selected enquiries had failed.", messages.WARNING
            )
