"""The image library's chooser: the widget every foreign key to a library image gets in the
admin."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.urls import reverse


class ImageChooserWidget(ForeignKeyRawIdWidget):
    """The chosen image's thumbnail and title, "Choose from the library" and "Upload new",
    and the library's most recent images as buttons beside them.

    Both links open the library in Django's related-object popup (search, tag filter and
    thumbnails in the list; alt text asked on upload). A recent image is picked in one click
    instead of two (open the popup, pick a row): the image just uploaded for this item is
    usually among them. The form posts only the id, so a choice survives any validation
    error of the form it sits in.
    """

    # How many recent images the strip shows: one row beside the buttons at 1280 px.
    recent_count = 6

    template_name = "admin/library/widgets/image_chooser.html"
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
            recent=self.recent_images(),
            add_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_add", current_app=site)
            + "?_to_field=id&_popup=1",
            info_url=reverse(
                f"admin:{opts.app_label}_{opts.model_name}_info", args=[0], current_app=site
            ),
        )
        return context

    def recent_images(self):
        """The library's newest images that have a file, newest first: one query."""
        if not self.recent_count:
            return []
        return list(
            self.rel.model._default_manager.using(self.db)
            .exclude(file="")
            .order_by("-created_at", "-pk")[: self.recent_count]
        )

    @property
    def media(self):
        # jQuery first, as Django's own admin widgets list it, so the merged media keep the order.
        jquery = "jquery.js" if settings.DEBUG else "jquery.min.js"
        return forms.Media(
            js=[
                f"admin/js/vendor/jquery/{jquery}",
                "admin/js/jquery.init.js",
                "library/image_chooser.js",
            ],
            css={"all": ["publishing/admin.css"]},
        )
