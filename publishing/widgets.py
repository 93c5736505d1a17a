"""Widgets: the image library's chooser and the rich-text editor in the admin, and the
select of readers' filter forms."""

from ckeditor.widgets import CKEditorWidget
from django import forms
from django.conf import settings
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from publishing.richtext import IMG_TAG, body_image_refs


def _image_model():
    from publishing.models import Image

    return Image


class ImageChooserWidget(ForeignKeyRawIdWidget):
    """The chosen image's thumbnail and title, "Choose from the library" and "Upload new".

    Both links open the library in Django's related-object popup (search, tag filter and
    thumbnails in the list; alt text asked on upload). The form posts only the id, so a
    choice survives any validation error of the form it sits in.
    """

    template_name = "admin/publishing/widgets/image_chooser.html"
    # The id travels in a hidden input: editors see the picture, its title and the buttons,
    # never a box of digits to type into.
    input_type = "hidden"
    # ...but the widget as a whole is seen: the admin hides the row of a hidden widget.
    is_hidden = False

    def id_for_label(self, id_):
        # A <label for> may not point at a hidden input (Nu checker); the field's label names
        # the group, and each button says what it does.
        return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # A hidden input may carry no aria-* attribute (Nu checker): Django gives the field's
        # help text an aria-describedby, as the widget as a whole is not hidden.
        widget_attrs = context["widget"]["attrs"]
        for attr in [attr for attr in widget_attrs if attr.startswith("aria-")]:
            del widget_attrs[attr]
        opts = self.rel.model._meta
        site = self.admin_site.name
        image = None
        if context["widget"]["value"]:
            try:
                image = self.rel.model._default_manager.using(self.db).get(pk=value)
            except (ValueError, TypeError, self.rel.model.DoesNotExist):
                image = None
        context.update(
            image=image,
            add_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_add", current_app=site)
            + "?_to_field=id&_popup=1",
            info_url=reverse(
                f"admin:{opts.app_label}_{opts.model_name}_info", args=[0], current_app=site
            ),
        )
        return context

    @property
    def media(self):
        # jQuery first, as Django's own admin widgets list it, so the merged media keep the order.
        jquery = "jquery.js" if settings.DEBUG else "jquery.min.js"
        return forms.Media(
            js=[
                f"admin/js/vendor/jquery/{jquery}",
                "admin/js/jquery.init.js",
                "publishing/image_chooser.js",
            ],
            css={"all": ["publishing/admin.css"]},
        )


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
            reverse("admin:publishing_image_changelist") + "?_to_field=id"
        )
        self.config["libraryimage_infoUrl"] = reverse("admin:publishing_image_info", args=[0])
        self.config["internallink_searchUrl"] = reverse("admin-link-search")
        return super().get_context(name, value, attrs)

    def format_value(self, value):
        value = super().format_value(value)
        refs = body_image_refs(value or "")
        if not refs:
            return value
        images = _image_model().objects.in_bulk({ref[1] for ref in refs})

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
    of an uncached news list's work for its two filters; the choices, attributes and the
    selected option still come from Django's own get_context().
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>'
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs_html(option['attrs'])}>{conditional_escape(localize(option['label']))}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
