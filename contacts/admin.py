"""Admin for contacts, the staff directory (email, phone, vCard, CSV) and the enquiries inbox."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from contacts import services, staff
from contacts.models import Contact, DirectoryEntry, Enquiry
from outbox.admin import OutboxAdminMixin
from publishing.admin import (
    EditorialAdmin,
    ListInputMixin,
    PublishableAdmin,
    ReadOnlyAdminMixin,
    StateFilter,
)


def lead_details(contact):
    """A lead's name, role, email and phone as links, marked when they have moved on.

    Only for columns and pages that `staff.sees_lead_details` has let through.
    """
    parts = [format_html("<strong>{}</strong>", contact.name)]
    if not contact.is_active:
        parts.append(mark_safe(' <span class="lead-inactive">(inactive)</span>'))  # noqa: S308
    if contact.job_title or contact.team:
        role = ", ".join(part for part in (contact.job_title, contact.team) if part)
        parts.append(format_html("<br>{}", role))
    parts.append(format_html('<br><a href="mailto:{0}">{0}</a>', contact.email))
    if contact.phone:
        parts.append(
            format_html(' · <a href="tel:{}">{}</a>', tel_href(contact.phone), contact.phone)
        )
    return format_html_join("", "{}", ((part,) for part in parts))


def tel_href(phone):
    return "".join(ch for ch in phone if ch.isdigit() or ch == "+")


@admin.register(Contact)
class ContactAdmin(PublishableAdmin):
    """Where editors change contacts, published (and reviewed) like posts; colleagues look
    them up in the staff directory."""

    list_display = [
        "name", "state", "job_title", "team", "thumbnail", "is_active", "enquiry_count",
    ]  # fmt: skip
    list_filter = [StateFilter, "is_active", "topics"]
    search_fields = ["name", "job_title", "team", "email"]
    # Stated here, not left to Meta.ordering: the enquiry count below groups rows, which drops
    # the model's default order, and the pickers on posts and reports page through this list.
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    image_field = "photo"
    date_hierarchy = None
    fieldsets = [
        (None, {"fields": ["name", "slug", "job_title", "team", "email", "phone"]}),
        ("About", {"fields": ["photo", "bio", "topics", "is_active"]}),
        ("Publishing", {"fields": ["status", "publish_at", "expire_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(enquiry_total=Count("enquiries"))

    @admin.display(description="enquiries", ordering="enquiry_total")
    def enquiry_count(self, contact):
        url = reverse("admin:contacts_enquiry_changelist") + f"?contact__id__exact={contact.pk}"
        return format_html('<a href="{}">{}</a>', url, contact.enquiry_total)


class TeamFilter(admin.AllValuesFieldListFilter):
    title = "team"


@admin.register(DirectoryEntry)
class DirectoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The staff directory: every contact with email and phone, a vCard each, a CSV of a search.

    Read-only; the view permission for contacts opens it (one rule: staff.sees_lead_details),
    the export permission adds "Export as CSV". Editing stays in Contacts.
    """

    list_display = [
        "thumbnail", "name_link", "job_title", "team", "topic_names", "email_link",
        "phone_link", "is_active", "enquiry_count", "card",
    ]  # fmt: skip
    list_display_links = None
    list_filter = ["topics", ("team", TeamFilter), "is_active"]
    search_fields = ["name", "job_title", "team", "topics__name", "bio", "email"]
    ordering = ["name"]
    list_per_page = 100
    # The thumbnail column of the contacts list, reused as it is.
    image_field = ContactAdmin.image_field
    thumbnail = EditorialAdmin.thumbnail

    def has_view_permission(self, request, obj=None):
        return staff.sees_lead_details(request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("photo")
            .prefetch_related("topics")
            .annotate(enquiry_total=Count("enquiries", distinct=True))
        )

    def get_urls(self):
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="contacts_directoryentry_export",
            ),
            path(
                "<int:pk>/vcard/",
                self.admin_site.admin_view(self.vcard_view),
                name="contacts_directoryentry_vcard",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "Staff directory",
            **(extra_context or {}),
            "may_export": staff.may_export_directory(request.user),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing to see here that the list and the contact's own page do not show.
        return redirect("admin:contacts_contact_change", object_id)

    def vcard_view(self, request, pk):
        if not staff.sees_lead_details(request.user):
            raise PermissionDenied
        contact = get_object_or_404(Contact, pk=pk)
        response = HttpResponse(
            staff.contact_vcard(contact), content_type="text/vcard; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{contact.slug}.vcf"'
        response["Cache-Control"] = "private, no-store"
        return response

    def export_view(self, request):
        """The directory as the list shows it (search, filters, order), every page, as CSV."""
        if not staff.may_export_directory(request.user):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(
                "Those filters are not valid: open the staff directory and choose them again.",
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="staff-directory-{stamp}.csv"'
        response["Cache-Control"] = "private, no-store"
        staff.directory_csv(changelist.queryset, response)
        return response

    @admin.display(description="name", ordering="name")
    def name_link(self, contact):
        url = reverse("admin:contacts_contact_change", args=[contact.pk])
        return format_html('<a href="{}">{}</a>', url, contact.name)

    @admin.display(description="areas of interest")
    def topic_names(self, contact):
        return ", ".join(topic.name for topic in contact.topics.all())

    @admin.display(description="email", ordering="email")
    def email_link(self, contact):
        return format_html('<a href="mailto:{0}">{0}</a>', contact.email)

    @admin.display(description="phone")
    def phone_link(self, contact):
        if not contact.phone:
            return ""
        return format_html('<a href="tel:{}">{}</a>', tel_href(contact.phone), contact.phone)

    @admin.display(description="past enquiries", ordering="enquiry_total")
    def enquiry_count(self, contact):
        url = reverse("admin:contacts_enquiry_changelist") + f"?contact__id__exact={contact.pk}"
        return format_html('<a href="{}">{}</a>', url, contact.enquiry_total)

    @admin.display(description="contact card")
    def card(self, contact):
        return format_html(
            '<a href="{}" download>vCard</a> · <a href="{}">Profile</a>',
            reverse("admin:contacts_directoryentry_vcard", args=[contact.pk]),
            contact.get_absolute_url(),
        )


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


class ForwardForm(forms.Form):
    """Choose the lead to pass an enquiry on to: those sharing its lead's topics come first."""

    to_contact = forms.ModelChoiceField(
        label="Forward to",
        queryset=Contact.objects.none(),
        error_messages={"required": "Choose the lead to forward this enquiry to."},
    )

    def __init__(self, *args, enquiry, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_contact"]
        # Any other contact validates, so that choosing someone inactive gets its own message.
        field.queryset = Contact.objects.exclude(pk=enquiry.contact_id)
        topics = set(enquiry.contact.topics.values_list("pk", flat=True))
        same, others = [], []
        for lead in (
            Contact.objects.active().exclude(pk=enquiry.contact_id).prefetch_related("topics")
        ):
            lead_topics = [topic for topic in lead.topics.all()]
            label = lead.name + (f", {lead.job_title}" if lead.job_title else "")
            if lead_topics:
                label += f" ({', '.join(topic.name for topic in lead_topics)})"
            shares = topics & {topic.pk for topic in lead_topics}
            (same if shares else others).append((lead.pk, label))
        choices = [("", "Choose a lead")]
        if same:
            choices.append((f"Leads for {enquiry.contact.name}'s areas of interest", same))
        if others:
            choices.append(("Other leads" if same else "All leads", others))
        field.widget.choices = choices

    def clean_to_contact(self):
        lead = self.cleaned_data["to_contact"]
        if not lead.is_active:
            raise forms.ValidationError(
                f"{lead.name} has moved on and no longer receives enquiries: choose another lead."
            )
        return lead


@admin.register(Enquiry)
class EnquiryAdmin(ListInputMixin, OutboxAdminMixin, admin.ModelAdmin):
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
    # Shown to those who may see leads' details (staff.sees_lead_details), beside the enquiry.
    lead_fieldset = ("Lead", {"fields": ["lead", "forwarding"]})

    def get_list_display(self, request):
        if not staff.sees_lead_details(request.user):
            return self.list_display
        return [("lead" if name == "contact" else name) for name in self.list_display]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and staff.sees_lead_details(request.user):
            return [self.lead_fieldset, *self.fieldsets]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.get_fieldsets(request, obj) for f in fieldset[1]["fields"]]

    def get_urls(self):
        return [
            path(
                "<int:pk>/forward/",
                self.admin_site.admin_view(self.forward_view),
                name="contacts_enquiry_forward",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_forward": self.has_change_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def forward_view(self, request, pk):
        """Forward to another lead: choose one, and the outbox delivers it to them."""
        enquiry = get_object_or_404(Enquiry.objects.select_related("contact"), pk=pk)
        if not self.has_change_permission(request, enquiry):
            raise PermissionDenied
        form = ForwardForm(request.POST if request.method == "POST" else None, enquiry=enquiry)
        if request.method == "POST" and form.is_valid():
            lead = form.cleaned_data["to_contact"]
            try:
                services.enquiry_forward(enquiry=enquiry, to_contact=lead, user=request.user)
            except services.ContactInactive:
                form.add_error(
                    "to_contact",
                    f"{lead.name} has moved on and no longer receives enquiries: choose another lead.",
                )
            except services.ForwardRefused as refused:
                form.add_error("to_contact", str(refused))
            else:
                self.message_user(
                    request,
                    f"Forwarded to {lead.name}: it will be delivered to them, and this enquiry is "
                    "marked as handled.",
                    messages.SUCCESS,
                )
                return redirect("admin:contacts_enquiry_change", enquiry.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Forward “{enquiry.subject}” to another lead",
            "subtitle": None,
            "enquiry": enquiry,
            "original": enquiry,
            "form": form,
            "media": self.media + form.media,
        }
        status = 400 if form.errors else 200
        return TemplateResponse(
            request, "admin/contacts/enquiry/forward.html", context, status=status
        )

    @admin.display(description="lead", ordering="contact__name")
    def lead(self, enquiry):
        return lead_details(enquiry.contact)

    @admin.display(description="forwarding")
    def forwarding(self, enquiry):
        lines = []
        if enquiry.is_forward:
            source = enquiry.forwarded_from
            lines.append(
                format_html(
                    "Forwarded by {} on {}{}",
                    services.person_name(enquiry.forwarded_by),
                    timezone.localtime(enquiry.forwarded_at).strftime("%d/%m/%Y %H:%M"),
                    format_html(
                        ' from <a href="{}">the enquiry to {}</a>',
                        reverse("admin:contacts_enquiry_change", args=[source.pk]),
                        source.contact.name,
                    )
                    if source
                    else "",
                )
            )
        for forward in enquiry.forwards.select_related("contact", "forwarded_by"):
            lines.append(
                format_html(
                    'Forwarded to <a href="{}">{}</a> by {} on {} ({})',
                    reverse("admin:contacts_enquiry_change", args=[forward.pk]),
                    forward.contact.name,
                    services.person_name(forward.forwarded_by),
                    timezone.localtime(forward.forwarded_at).strftime("%d/%m/%Y %H:%M"),
                    forward.get_state_display().lower(),
                )
            )
        if not lines:
            return "Not forwarded."
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

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
