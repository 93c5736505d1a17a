"""Admin for the site pages: Django's flat pages, edited with the rich-text editor."""

from ckeditor.widgets import CKEditorWidget
from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage

from publishing.richtext import sanitise_html


class SitePageForm(FlatpageForm):
    class Meta(FlatpageForm.Meta):
        widgets = {"content": CKEditorWidget(config_name="default")}

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
