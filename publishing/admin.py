"""Admin for editors: the kernel's building blocks (re-exported here, where the content apps import
them from) and the preview links' own list."""

from django.contrib import admin, messages
from django.utils.html import format_html

from publishing.editorial_admin import (
    EditorialAdmin,
    EditorialAdminForm,
    ListInputMixin,
    PublishableAdminForm,
    ReadOnlyAdminMixin,
    StateFilter,
)
from publishing.models import PreviewLink
from publishing.publishable_admin import PublishableAdmin, _label_date_and_time
from publishing.services import (
    preview_link_revoke,
)
from publishing.sharing import absolute_url

__all__ = [
    "EditorialAdmin",
    "EditorialAdminForm",
    "ListInputMixin",
    "PublishableAdmin",
    "PublishableAdminForm",
    "ReadOnlyAdminMixin",
    "StateFilter",
]


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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        _label_date_and_time(db_field, formfield)  # "revoked at"
        return formfield

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
