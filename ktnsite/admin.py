"""Admin for the site pages (Django's flat pages, edited with the rich-text editor) and the
deadline reminders' outbox."""

from ckeditor.widgets import CKEditorWidget
from django import forms
from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage

from ktnsite.models import OpportunityReminder, OpportunityWatch
from ktnsite.sitepages import FOOTER_PAGES, is_served
from outbox.admin import OutboxAdminMixin
from publishing.richtext import sanitise_html


class SitePageForm(FlatpageForm):
    class Meta(FlatpageForm.Meta):
        widgets = {"content": CKEditorWidget(config_name="default")}

    def clean_url(self):
        url = super().clean_url()
        if not is_served(url):
            footer = ", ".join(address for address, _title in FOOTER_PAGES.values())
            raise forms.ValidationError(
                f"The site shows site pages only at {footer} or at an address starting "
                "/pages/ (letters, digits, hyphens and slashes), such as /pages/our-history/."
            )
        return url

    def clean_content(self):
        # Saved as it will be shown, so the editor sees at once what was dropped.
        return sanitise_html(self.cleaned_data["content"])


admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class SitePageAdmin(FlatPageAdmin):
    """Privacy notice, accessibility statement, cookies, contact: linked from every footer."""

    form = SitePageForm
    # Every site page is drawn by ktnsite/site_page.html; a per-page template is not offered.
    fieldsets = [
        (None, {"fields": ["url", "title", "content", "sites"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["registration_required"]}),
    ]
    list_filter = ["registration_required"]

    def view_on_site(self, obj):
        # Its own address on this site, and none for a page the site does not show (a row
        # written before addresses were checked): never a link off the site.
        return obj.url if is_served(obj.url) else None


@admin.register(OpportunityReminder)
class OpportunityReminderAdmin(OutboxAdminMixin, admin.ModelAdmin):
    """Deadline reminders owed and sent (ktnsite.reminders); *Failed* are the dead letters,
    which "Retry" sends again. They are made by `send_opportunity_reminders`, never here."""

    list_display = [
        "subscriber", "opportunity", "closes_at", "state", "attempts", "next_attempt_at",
        "sent_at",
    ]  # fmt: skip
    list_filter = ["state"]
    search_fields = ["subscriber__email", "opportunity__title"]
    list_select_related = ["subscriber", "opportunity"]
    readonly_fields = [
        "subscriber", "opportunity", "closes_at", "state", "attempts", "last_error",
        "next_attempt_at", "created_at", "claimed_at", "sent_at",
    ]  # fmt: skip


@admin.register(OpportunityWatch)
class OpportunityWatchAdmin(OutboxAdminMixin, admin.ModelAdmin):
    """Reminders readers asked for from an opportunity's page, with the confirmation email
    each owes; *Failed* are the dead letters, which "Retry" sends again. Only readers make
    them (and confirm them, from the emailed link), never editors."""

    list_display = ["subscriber", "opportunity", "confirmed_at", "state", "attempts", "created_at"]
    list_filter = ["state", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["subscriber__email", "opportunity__title"]
    list_select_related = ["subscriber", "opportunity"]
    readonly_fields = [
        "subscriber", "opportunity", "confirmed_at", "state", "attempts", "last_error",
        "next_attempt_at", "created_at", "requested_at", "claimed_at",
    ]  # fmt: skip
