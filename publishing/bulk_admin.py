"""Deleting and the bulk actions of publishable items, each through the publish rule: publish,
unpublish, delete, and preview links for people without a login."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from publishing.services import (
    PublishRefused,
    preview_link_create,
    publishable_delete_check,
    publishable_publish,
    publishable_unpublish,
    when_text,
)
from publishing.sharing import absolute_url


class BulkActionsAdminMixin:
    """A part of PublishableAdmin: its list's actions and its delete page."""

    actions = ["publish_selected", "unpublish_selected", "create_preview_links", "delete_selected"]

    # Deleting a live or scheduled item takes it from readers, like unpublishing: the publish
    # rule's publishable_delete_check decides, on the delete page and the bulk action alike.
    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        try:
            publishable_delete_check(items=[obj], user=request.user)
        except PublishRefused:
            return False  # no Delete link on its form
        return True

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and super().has_delete_permission(request, obj):
            try:
                publishable_delete_check(items=[obj], user=request.user)
            except PublishRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                )
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description=django_delete_selected.short_description)
    def delete_selected(self, request, queryset):
        try:
            publishable_delete_check(items=list(queryset), user=request.user)
        except PublishRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return None  # back to the list
        return django_delete_selected(self, request, queryset)

    def _by_the_rule(self, request, change, queryset):
        """The publish rule's `change` of the selected items: its changes, or None once the
        editor is told why the rule refused (then nothing changed)."""
        try:
            return change(items=list(queryset), user=request.user)
        except PublishRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return None

    @admin.action(description="Publish selected items (a future publish time stays scheduled)")
    def publish_selected(self, request, queryset):
        changes = self._by_the_rule(request, publishable_publish, queryset)
        if changes is None:
            return
        backdated = sum(change.backdated for change in changes)
        text = f"Published or scheduled {len(changes)} item(s)."
        if backdated:
            text += (
                f" {backdated} of them went live with the past publish time already set on "
                "them (backdated)."
            )
        self.message_user(request, text, messages.SUCCESS)

    @admin.action(description="Unpublish selected items (return them to draft)")
    def unpublish_selected(self, request, queryset):
        changes = self._by_the_rule(request, publishable_unpublish, queryset)
        if changes is None:
            return
        self.message_user(request, f"Returned {len(changes)} item(s) to draft.", messages.SUCCESS)

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
                    when_text(link.expires_at),
                    url,
                    url,
                ),
                messages.SUCCESS,
            )
