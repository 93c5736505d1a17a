"""Admin for the image library: the library itself (find, upload, replace, where used), tags,
and the chooser every foreign key to an image gets."""

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, JsonResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from library.models import BodyImage, Image, ImageState, Tag
from library.services import TEXT_MODELS, image_pending_uses, image_save, image_uses
from library.uploads import KeepUploadsMixin
from library.widgets import ImageChooserWidget


def image_state_note(image):
    """What editors read in place of a picture that is not ready: "Processing…" or why it
    failed; "" for a ready one."""
    if image is None or image.state == ImageState.READY:
        return ""
    if image.state == ImageState.PROCESSING:
        return mark_safe(  # a constant
            '<span class="image-state image-state--processing" role="status">Processing… '
            "readers see it once it is ready (usually within seconds).</span>"
        )
    return format_html(
        '<span class="image-state image-state--failed" role="alert">Failed: {}</span>',
        image.state_message or "this upload could not be processed. Upload it again.",
    )


def image_thumbnail(image, css_class="image-thumb"):
    """A small <img> of a library image for admin lists (its smallest rendition, once made);
    for an upload not yet processed (or that failed), what editors need to know instead."""
    if image is None or not image.file:
        return ""
    if not image.is_ready:
        return image_state_note(image)
    return format_html('<img src="{}" alt="" class="{}">', image.thumbnail_url(), css_class)


class ImageChooserMixin:
    """Every foreign key to the image library gets the chooser (a thumbnail and the popup)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.ForeignKey) and db_field.related_model is Image:
            widget = ImageChooserWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
            return db_field.formfield(widget=widget, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["name", "image_count"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(image_total=models.Count("images"))

    @admin.display(description="images", ordering="image_total")
    def image_count(self, tag):
        return tag.image_total


class AltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "Missing (imported without one)"), ("decorative", "Decorative")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(alt="", decorative=False)
        if self.value() == "decorative":
            return queryset.filter(decorative=True)
        return queryset


class UsedForTopicFilter(admin.SimpleListFilter):
    """Images used by the items of a topic: as their hero, photo or cover, or in their text.

    Library images carry tags, not topics (publishing knows no app of ours), so the topic is
    read from the items that use them: every model with a foreign key to the library and a
    `topics` many-to-many field, found from the relations, as image_uses finds uses.
    """

    title = "topic"
    parameter_name = "topic"

    @staticmethod
    def _topic_field(model):
        try:
            field = model._meta.get_field("topics")
        except FieldDoesNotExist:
            return None
        return field if field.many_to_many else None

    def _users(self):
        """[(relation from Image or None for texts, model with topics)]."""
        users = []
        for relation in Image._meta.related_objects:
            if relation.one_to_many and self._topic_field(relation.related_model):
                users.append((relation, relation.related_model))
        for model in TEXT_MODELS:
            if self._topic_field(model):
                users.append((None, model))
        return users

    def lookups(self, request, model_admin):
        users = self._users()
        if not users:
            return []
        topic_model = self._topic_field(users[0][1]).related_model
        return [(topic.pk, str(topic)) for topic in topic_model._default_manager.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not re.fullmatch(r"[0-9]{1,18}", self.value()):
            # Not a topic's id: the list says so like for any invalid filter, not a 500.
            raise IncorrectLookupParameters(f"No topic {self.value()!r}.")
        used = models.Q(pk__in=[])
        for relation, model in self._users():
            items = model._base_manager.filter(topics=self.value())
            if relation is not None:
                used |= models.Q(pk__in=items.values(relation.field.attname))
            else:
                used |= models.Q(
                    pk__in=BodyImage.objects.filter(
                        content_type=ContentType.objects.get_for_model(model),
                        object_id__in=items.values("pk"),
                    ).values("image_id")
                )
        return queryset.filter(used)


class ImageAdminForm(KeepUploadsMixin, forms.ModelForm):
    """The library's form; a chosen picture survives a mistake elsewhere in it."""

    class Meta:
        model = Image
        fields = [
            "file", "title", "alt", "decorative", "tags", "caption", "credit", "focal_x", "focal_y",
        ]  # fmt: skip
        widgets = {"alt": forms.TextInput(attrs={"size": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance.is_ready and "file" in self.fields:
            # The upload as it came (metadata and all) is linked from nowhere, not even here.
            self.fields["file"].widget.hide_current = True


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The library: find pictures by title, alt text, caption or tag; upload, replace, reuse.

    Opened as a popup by the chooser (image fields and the editor's image button), so
    everything here also works inside that popup.
    """

    form = ImageAdminForm
    # The title leads each row and is its link (to choose or open the image); the picture
    # beside it is decoration (axe "link-name", "empty-table-header" on an image-only link).
    list_display = [
        "title",
        "thumbnail",
        "state",
        "alt_text_or_decorative",
        "size",
        "tag_names",
        "created_at",
    ]
    list_display_links = ["title"]
    list_filter = ["state", "tags", UsedForTopicFilter, AltTextFilter, "created_at"]
    search_fields = ["title", "alt", "caption", "credit", "tags__name"]
    autocomplete_fields = ["tags"]
    readonly_fields = ["preview", "size", "renditions_state", "uses"]
    list_per_page = 40
    fieldsets = [
        (None, {"fields": ["file", "preview", "size", "title", "alt", "decorative", "tags"]}),
        ("Caption and credit", {"fields": ["caption", "credit"]}),
        (
            "Focal point",
            {
                "fields": ["focal_x", "focal_y"],
                "description": "The part of the picture that must stay in view when it is "
                "cropped (the 1200×630 share card): click it on the preview, or type it. "
                "Empty: the centre.",
            },
        ),
        ("Where it is used", {"fields": ["uses", "renditions_state"]}),
    ]

    class Media:
        css = {"all": ["publishing/admin.css"]}
        js = ["library/focal_point.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # nothing to show about an image not yet stored
            return [(None, {"fields": ["file", "title", "alt", "decorative", "tags"]}),
                    *self.fieldsets[1:3]]  # fmt: skip
        return self.fieldsets

    def save_model(self, request, obj, form, change):
        # Through the library's one path: the file is cleaned and its renditions queued.
        new_file = form.cleaned_data["file"] if "file" in form.changed_data else None
        # Stripping and cutting renditions run in the task worker, not in the editor's request.
        image_save(image=obj, file=new_file, user=request.user, in_background=True)
        form.kept_uploads_done()

    def get_deleted_objects(self, objs, request):
        # Unpublished changes hold images by id only, so the database's PROTECT does not see
        # them: listed as protected too, which makes Django's delete page and the list's
        # "delete selected" refuse, naming them.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        in_copies = image_pending_uses(objs)
        for image in objs:
            for label, item in in_copies.get(image.pk, []):
                protected.append(f"{label.capitalize()}: {item}")
        return deleted, counts, perms_needed, protected

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<int:pk>/info/",
                self.admin_site.admin_view(self.info_view),
                name=f"{opts.app_label}_{opts.model_name}_info",
            ),
            *super().get_urls(),
        ]

    def info_view(self, request, pk):
        """What the chooser shows of a chosen image (JSON), for editors who may see the library."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        image = Image.objects.filter(pk=pk).first()
        if image is None:
            raise Http404("No such image.")
        return JsonResponse(
            {
                "id": image.pk,
                "title": str(image),
                "alt": image.alt,
                "decorative": image.decorative,
                "thumbnail": image.thumbnail_url(),
                "width": image.width,
                "height": image.height,
                "state": image.state,
                "state_note": {
                    ImageState.READY: "",
                    ImageState.PROCESSING: "Processing…",
                    ImageState.FAILED: f"Failed: {image.state_message}",
                }[image.state],
            }
        )

    @admin.display(description="image")
    def thumbnail(self, obj):
        return image_thumbnail(obj)

    @admin.display(description="preview")
    def preview(self, obj):
        return image_thumbnail(obj, "image-preview")

    @admin.display(description="alt text", ordering="alt")
    def alt_text_or_decorative(self, obj):
        return "(decorative)" if obj.decorative else obj.alt

    @admin.display(description="size")
    def size(self, obj):
        return f"{obj.width} × {obj.height} px" if obj.width else "–"

    @admin.display(description="tags")
    def tag_names(self, obj):
        return ", ".join(tag.name for tag in obj.tags.all())

    @admin.display(description="renditions")
    def renditions_state(self, obj):
        if not obj.is_ready:
            return image_state_note(obj)
        sources = obj.sources
        if not sources:
            return "Being made: pages show the original, scaled by the browser, until then."
        return ", ".join(f"{s['w']}×{s['h']}" for s in sources) + " and a 1200×630 share card"

    @admin.display(description="used in")
    def uses(self, obj):
        found = image_uses(obj)
        if not found:
            return "Not used anywhere yet."
        items = []
        for label, item in found:
            opts = item._meta
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
            except NoReverseMatch:
                url = ""
            items.append(
                format_html('<li>{}: <a href="{}">{}</a></li>', label.capitalize(), url, item)
                if url
                else format_html("<li>{}: {}</li>", label.capitalize(), item)
            )
        return format_html('<ul class="image-uses">{}</ul>', mark_safe("".join(items)))  # noqa: S308
