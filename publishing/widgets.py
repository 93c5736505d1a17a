"""Admin widgets for the image library: the chooser for image fields and the rich-text editor."""

from ckeditor.widgets import CKEditorWidget
from django import forms
from django.conf import settings
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape

from publishing.richtext import IMG_TAG, body_image_refs


def _image_model():
    from publishing.models import Image

    return Image


class ImageChooserWidget(ForeignKeyRawIdWidget):
    """A plain image id with its thumbnail, "Choose from the library" and "Upload new".

    Both links open the library in Django's related-object popup (search, tag filter and
    thumbnails in the list; alt text asked on upload). The form posts only the id, so a
    choice survives any validation error of the form it sits in.
    """

    template_name = "admin/publishing/widgets/image_chooser.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
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
