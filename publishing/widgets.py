"""Widgets: the rich-text editor in the admin, and the select of readers' filter forms."""

from ckeditor.widgets import CKEditorWidget
from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from library.models import Image
from library.references import IMG_TAG, body_image_refs


class RichTextWidget(CKEditorWidget):
    """CKEditor with a button that inserts a library image as a reference, and one that links
    to our own content by search ("Link to our content", publishing.desk.link_search).

    The stored text holds `<img data-image="ID">` without an address; for editing, each
    reference is given its thumbnail's address so the editor can show it (the sanitiser
    drops it again on save).
    """

    def __init__(self, **kwargs):
        super().__init__(
            config_name="default", extra_plugins=["libraryimage", "internallink"], **kwargs
        )

    def get_context(self, name, value, attrs):
        self.external_plugin_resources = [
            ("libraryimage", static("publishing/ckeditor/libraryimage/plugin.js"), ""),
            ("internallink", static("publishing/ckeditor/internallink/plugin.js"), ""),
        ]
        self.config["libraryimage_chooserUrl"] = (
            reverse("admin:library_image_changelist") + "?_to_field=id"
        )
        self.config["libraryimage_infoUrl"] = reverse("admin:library_image_info", args=[0])
        self.config["internallink_searchUrl"] = reverse("admin-link-search")
        return super().get_context(name, value, attrs)

    def format_value(self, value):
        value = super().format_value(value)
        refs = body_image_refs(value or "")
        if not refs:
            return value
        images = Image.objects.in_bulk({ref[1] for ref in refs})

        def with_src(match):
            tag = match.group(0)
            ref = next((r for r in refs if r[0].start() == match.start()), None)
            image = images.get(ref[1]) if ref else None
            if image is None or " src=" in tag:
                return tag
            return tag[:4] + f' src="{escape(image.thumbnail_url())}"' + tag[4:]

        return IMG_TAG.sub(with_src, value)


def _attrs_html(attrs):
    # django/forms/widgets/attrs.html, in Python.
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A <select> written in Python: the markup of Django's select templates, byte for byte.

    The templates (select, one option template per choice, and attrs for each) were an eighth
    of an uncached news list's work for its two filters. The attributes are Django's own
    (build_attrs, format_value); the options and the selected one follow ChoiceWidget's
    optgroups() without making a dict of context per option, which was most of the work left
    once the templates were gone (six selects, 56 options, on the funding finder).
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True  # as Select.get_context
        values = self.format_value(value)
        parts = [f'<select name="{conditional_escape(name)}"{_attrs_html(final_attrs)}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            if grouped and option_value:
                parts.append(f'\n  <optgroup label="{conditional_escape(option_value)}">')
            for subvalue, sublabel in option_label if grouped else [(option_value, option_label)]:
                text = str(subvalue)
                selected = (not has_selected or self.allow_multiple_selected) and text in values
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{conditional_escape(text)}"'
                    f"{' selected' if selected else ''}>"
                    f"{conditional_escape(localize(sublabel))}</option>\n"
                )
            if grouped and option_value:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
