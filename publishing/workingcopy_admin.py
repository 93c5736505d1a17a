"""Unpublished changes to live items in the admin (issue 11.2): *Save changes as draft* keeps
the form as the item's working copy while readers keep the live version; the form, Preview
and preview links show the copy; *Publish changes* saves the form (the copy plus any further
edits) through the publish rule; *Discard changes* drops it."""

from django.contrib import messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone

from publishing.editing import editor_name
from publishing.services import (
    autosave_discard,
    when_text,
    working_copy_differs,
    working_copy_discard,
    working_copy_fields,
    working_copy_find,
    working_copy_load,
    working_copy_store,
)

# The change form's buttons post _publishing=<action>; publishing.admin reads the same field.
ACTION_FIELD = "_publishing"
SAVE_CHANGES_AS_DRAFT = "changes_draft"
# Form-only fields that are the form's own machinery, not the editor's choices.
FORM_MACHINERY = {"edit_base", "confirm_backdate"}
# The views whose form shows the working copy rather than the stored row.
EDITING_VIEWS = ("change", "preview", "checks")


class WorkingCopyAdminMixin:
    """For PublishableAdmin: keeps changes to a live item as a working copy until published."""

    def storing_working_copy(self, request):
        """Whether this request keeps the form as unpublished changes (nothing reaches
        readers): *Save changes as draft*, or any save the publish rule held back (a user
        without the publish right editing a live or scheduled item, whatever was posted)."""
        if request.method != "POST":
            return False
        held_back = getattr(request, "publishing_held_back", False)
        return held_back or request.POST.get(ACTION_FIELD) == SAVE_CHANGES_AS_DRAFT

    def save_form(self, request, form, change):
        # Called first on a valid form, before save_model, save_related, log_change and
        # response_change, which all ask storing_working_copy.
        publish_change = getattr(form, "publish_change", None)
        if change and publish_change is not None and publish_change.held_back:
            request.publishing_held_back = True
        return super().save_form(request, form, change)

    def get_queryset(self, request):
        # One subquery in the list's own query says which rows have unpublished changes.
        return super().get_queryset(request).with_working_copy()

    def _editing(self, request):
        match = getattr(request, "resolver_match", None)
        name = match.url_name if match else ""
        return (
            not getattr(request, "publishing_restore", None)
            and bool(name)
            and name.rsplit("_", 1)[-1] in EDITING_VIEWS
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None or not self._editing(request):
            return obj
        copy = working_copy_find(item=obj)
        if copy is not None:
            # The form starts from the unpublished changes; what is stored stays untouched.
            obj.working_copy = copy
            obj.stored_slug = getattr(obj, "slug", None)
            obj.working_copy_changed = working_copy_differs(item=obj, copy=copy)
            working_copy_load(item=obj, copy=copy, prefetch=True)
        return obj

    def save_model(self, request, obj, form, change):
        if change and self.storing_working_copy(request):
            self._store_working_copy(request, obj, form)
            return
        # Saved for real: the form held the working copy (if any), so it is done with.
        # Its many-to-many cache was the copy's choices: the form's are saved now.
        obj._prefetched_objects_cache = {}
        if change:
            working_copy_discard(item=obj)
        super().save_model(request, obj, form, change)

    def _store_working_copy(self, request, obj, form):
        model_fields = set(working_copy_fields(self.model))
        names = [name for name in form.fields if name in model_fields]
        m2m = {field.name for field in self.model._meta.many_to_many}
        extra = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in model_fields
            and name not in FORM_MACHINERY
            and isinstance(value, str | bool | int)
            and name in form.fields
            and not hasattr(self.model, name)
        }
        working_copy_store(
            item=obj,
            user=request.user,
            fields=names,
            relations={name: form.cleaned_data.get(name, []) for name in names if name in m2m},
            extra=extra,
        )
        autosave_discard(user=request.user, model=self.model, object_id=obj.pk)
        before = getattr(form, "before", None)
        if before is not None and before.is_scheduled(timezone.now()):
            seen = "it goes live as it was scheduled, without them"
        else:
            seen = "readers still see the published version"
        text = (
            f"Changes saved as a draft: {seen}. Preview them, share them with a preview link, "
            "and press Publish changes when they are ready."
        )
        if not self.has_publish_permission(request):
            text = (
                f"Changes saved as a draft: {seen}. Preview them or share them with a "
                "preview link. An editor with the publish right publishes them."
            )
        self.message_user(request, text, messages.SUCCESS)
        skipped = {"publish_at", "expire_at"} & set(form.changed_data)
        if skipped:
            self.message_user(
                request,
                "The publish and take-down times are not kept with draft changes: they "
                "change only when you publish (or schedule, or unpublish).",
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        if change and self.storing_working_copy(request):
            return  # the copy holds the form's many-to-many choices; the row keeps its own
        super().save_related(request, form, formsets, change)

    def log_change(self, request, obj, message):
        if self.storing_working_copy(request):
            message = "Saved changes as a draft (not published)."
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not self.storing_working_copy(request):
            return super().response_change(request, obj)
        # Back to the form, which shows the copy; no "changed successfully" (nothing live is).
        url = add_preserved_filters(
            {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts},
            request.path,
        )
        return HttpResponseRedirect(url)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        copy = getattr(obj, "working_copy", None)
        restoring = getattr(request, "publishing_restore", None)
        if copy is not None and not restoring:
            autosave = context.get("autosave")
            if autosave is not None and autosave.saved_at <= copy.saved_at:
                # The changes were saved after the typing the autosave kept: not offered.
                context.pop("autosave")
            opts = self.model._meta
            context["working_copy"] = copy
            context["working_copy_when"] = when_text(copy.saved_at)
            context["working_copy_by"] = editor_name(copy.saved_by) if copy.saved_by else "someone"
            context["working_copy_discard_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_discard_changes", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/discard-changes/",
                self.admin_site.admin_view(self.discard_changes_view),
                name=f"{opts.app_label}_{opts.model_name}_discard_changes",
            ),
            *super().get_urls(),
        ]

    def discard_changes_view(self, request, object_id):
        """Drop the item's unpublished changes (POST, from the notice on its form)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = super().get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such item.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if working_copy_discard(item=obj):
            autosave_discard(user=request.user, model=self.model, object_id=obj.pk)
            self.log_change(request, obj, "Discarded unpublished changes.")
            text = "Unpublished changes discarded: the form shows the published version again."
        else:
            text = "There were no unpublished changes to discard."
        self.message_user(request, text, messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )
