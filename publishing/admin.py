"""Admin building blocks for editors: states, publishing rights, previews, history, images."""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from publishing.models import PreviewLink, Status
from publishing.services import (
    image_renditions_make,
    preview_link_create,
    preview_link_revoke,
    publishable_publish,
    publishable_unpublish,
    slug_redirect_record,
)
from publishing.sharing import absolute_url

NO_PUBLISH_MESSAGE = (
    "You do not have permission to publish. Save it as a draft and ask an editor who can publish."
)


class StateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        return {
            "draft": queryset.drafts,
            "scheduled": queryset.scheduled,
            "published": queryset.live,
        }.get(self.value(), queryset.all)()


class EditorialAdminForm(forms.ModelForm):
    """Remembers which version the editor started from, to spot a colleague's save meanwhile."""

    edit_base = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            latest = Version.objects.get_for_object(self.instance).order_by("-pk").first()
            self.fields["edit_base"].initial = latest.pk if latest else 0


class PublishableAdminForm(EditorialAdminForm):
    """Refuses a change to Published from someone without the model's publish permission."""

    can_publish = True  # set per request by PublishableAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        # clean() runs before the form's values reach the instance: this is the stored status.
        was_published = self.instance.pk and self.instance.status == Status.PUBLISHED
        if cleaned.get("status") == Status.PUBLISHED and not was_published and not self.can_publish:
            self.add_error("status", NO_PUBLISH_MESSAGE)
        return cleaned


class EditorialAdmin(CompareVersionAdmin):
    """History (versions, compare, restore, recover), slug redirects and image renditions."""

    # (image field, renditions field) pairs: renditions are made when a new image is saved.
    image_fields = ()
    history_latest_first = True
    form = EditorialAdminForm

    def view_on_site(self, obj):
        # The item's own address on this host (django.contrib.sites would send editors to the
        # Site row's domain, which is not where they are working).
        return obj.get_absolute_url()

    def get_fieldsets(self, request, obj=None):
        fieldsets = copy.deepcopy(super().get_fieldsets(request, obj))
        if not any("edit_base" in options["fields"] for _, options in fieldsets):
            fieldsets[0][1]["fields"] = [*fieldsets[0][1]["fields"], "edit_base"]
        return fieldsets

    def warn_of_saves_meanwhile(self, request, obj, form):
        """Tell the editor at once if someone else saved this since they opened the form."""
        base = form.cleaned_data.get("edit_base")
        if base is None:
            return
        others = (
            Version.objects.get_for_object(obj)
            .filter(pk__gt=base)
            .exclude(revision__user=request.user)
            .select_related("revision__user")
        )
        names = sorted({str(v.revision.user or "someone") for v in others})
        if names:
            opts = obj._meta
            history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
            self.message_user(
                request,
                format_html(
                    "{} saved this {} while you were editing it. Your save is now the current "
                    'version; theirs is kept in the <a href="{}">history</a>: compare the two '
                    "and restore anything of theirs you overwrote.",
                    ", ".join(names),
                    opts.verbose_name,
                    history,
                ),
                messages.WARNING,
            )

    def slug_needs_redirect(self, form):
        return True

    def save_model(self, request, obj, form, change):
        if change:
            self.warn_of_saves_meanwhile(request, obj, form)
        old_path = None
        if change and "slug" in form.changed_data and self.slug_needs_redirect(form):
            old = copy.copy(obj)
            old.slug = form.initial["slug"]
            old_path = old.get_absolute_url()
        super().save_model(request, obj, form, change)
        for image_field, renditions_field in self.image_fields:
            if image_field in form.changed_data:
                image_renditions_make(
                    instance=obj, image_field=image_field, renditions_field=renditions_field
                )
        if old_path:
            slug_redirect_record(old_path=old_path, new_path=obj.get_absolute_url())

    @admin.display(description="image")
    def thumbnail(self, obj):
        if not self.image_fields:
            return ""
        renditions = getattr(obj, self.image_fields[0][1]) or {}
        sources = renditions.get("sources")
        if not sources:
            return ""
        small = sources[0]
        return format_html(
            '<img src="{}" alt="" width="80" height="{}" style="object-fit:cover">',
            default_storage.url(small["fallback"]),
            max(1, round(80 * small["h"] / small["w"])),
        )


class PublishableAdmin(EditorialAdmin):
    """For Publishable models: Draft / Scheduled / Published, publish rights, bulk actions."""

    form = PublishableAdminForm
    actions = ["publish_selected", "unpublish_selected", "create_preview_links"]
    date_hierarchy = "publish_at"

    def has_publish_permission(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.can_publish = self.has_publish_permission(request)
        return form

    def slug_needs_redirect(self, form):
        # Only an address readers may have seen needs to keep working.
        return form.initial.get("status") == Status.PUBLISHED

    @admin.display(description="status", ordering="status")
    def state(self, obj):
        return obj.state_label

    @admin.display(description="topics")
    def topic_names(self, obj):
        return ", ".join(topic.name for topic in obj.topics.all())

    @admin.action(description="Publish selected items (a future publish time stays scheduled)")
    def publish_selected(self, request, queryset):
        if not self.has_publish_permission(request):
            self.message_user(request, NO_PUBLISH_MESSAGE, messages.ERROR)
            return
        changed = publishable_publish(items=list(queryset), user=request.user)
        self.message_user(request, f"Published {changed} item(s).", messages.SUCCESS)

    @admin.action(description="Return selected items to draft")
    def unpublish_selected(self, request, queryset):
        if not self.has_publish_permission(request):
            self.message_user(request, "You do not have permission to unpublish.", messages.ERROR)
            return
        changed = publishable_unpublish(items=list(queryset), user=request.user)
        self.message_user(request, f"Returned {changed} item(s) to draft.", messages.SUCCESS)

    @admin.action(
        description="Create a 7-day preview link for people without a login",
        permissions=["change"],
    )
    def create_preview_links(self, request, queryset):
        for item in queryset:
            link = preview_link_create(item=item, user=request.user)
            url = absolute_url(link.get_absolute_url())
            self.message_user(
                request,
                format_html(
                    "Preview link for “{}”, valid until {}: "
                    '<a href="{}">{}</a>. Revoke it under Preview links.',
                    item,
                    date_format(timezone.localtime(link.expires_at), "d/m/Y H:i"),
                    url,
                    url,
                ),
                messages.SUCCESS,
            )


@admin.register(PreviewLink)
class PreviewLinkAdmin(admin.ModelAdmin):
    list_display = [
        "__str__", "item_title", "created_by", "created_at", "expires_at", "usable", "link"
    ]  # fmt: skip
    list_filter = ["content_type", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["content_type", "created_by"]
    readonly_fields = ["content_type", "object_id", "created_by", "created_at", "expires_at"]
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("item")

    def has_add_permission(self, request):
        return False  # links are made with the "Create a preview link" action on an item

    @admin.display(description="item")
    def item_title(self, obj):
        return str(obj.item) if obj.item is not None else "(deleted)"

    @admin.display(description="address to share")
    def link(self, obj):
        if not obj.is_usable:
            return "—"
        url = absolute_url(obj.get_absolute_url())
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description="works", boolean=True)
    def usable(self, obj):
        return obj.is_usable

    @admin.action(description="Revoke selected links now", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = preview_link_revoke(links=queryset)
        self.message_user(request, f"Revoked {revoked} link(s).", messages.SUCCESS)
