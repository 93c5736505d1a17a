"""History for publishable items: restoring or recovering an old version through the publish
rule (a live item gets it as unpublished changes), and versions that say what they did."""

from contextlib import contextmanager

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.models import Version

from publishing.editing import edit_conflict, edit_token
from publishing.services import (
    edits_held_back,
    stored_publish_state,
    when_text,
    working_copy_fields,
    working_copy_find,
    working_copy_from_version,
    working_copy_store,
)


class HistoryAdminMixin:
    """A part of PublishableAdmin: History's restore and recover, and the versions' comments."""

    # History: restore and recover put an old version in the form after writing it to the
    # database, so the form cannot see what was stored; note it on the request first.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = get_object_or_404(
            Version.objects.get_for_model(self.model), pk=version_id, object_id=unquote(object_id)
        )
        item = self.model._default_manager.filter(pk=version.object_id).first()
        held_back = item is not None and edits_held_back(
            model=self.model, before=stored_publish_state(item), user=request.user
        )
        if item is not None and (item.is_live or held_back):
            # Readers see this item (or will, and the user may not publish): the old version
            # becomes its unpublished changes, and django-reversion's revert (which writes
            # the row) never runs.
            return self._restore_as_working_copy(request, item, version)
        self._note_stored(request, item, "restore")
        return super().revision_view(request, object_id, version_id, extra_context)

    def _restore_as_working_copy(self, request, item, version):
        """History → a version of a live item: a page to confirm (GET), then (POST) that
        version as the item's working copy; the live row is untouched until Publish changes."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        opts = self.model._meta
        form_fields = self.get_form(request, item, change=True).base_fields
        names = [name for name in working_copy_fields(self.model) if name in form_fields]
        restored, relations, notes = working_copy_from_version(
            item=item, version=version, fields=names
        )
        when = when_text(version.revision.date_created)
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
        conflict = None
        if request.method == "POST":
            with transaction.atomic():
                opened = request.POST.get("edit_base")
                # Without the token (a hand-made post) it is refused like a stale one.
                if opened != edit_token(item, lock=True):
                    conflict = edit_conflict(
                        form=self.get_form(request, item, change=True)(instance=item),
                        item=item,
                        token=opened,
                    )
                else:
                    working_copy_store(
                        item=restored, user=request.user, fields=names, relations=relations
                    )
        if request.method == "POST" and conflict is None:
            self.log_change(
                request, item, f"Restored the version of {when} as unpublished changes."
            )
            if self.has_publish_permission(request):
                then = "press Publish changes to publish it"
            else:
                then = "an editor with the publish right publishes it with Publish changes"
            text = (
                f"Restored the version of {when} as unpublished changes: readers still see the "
                f"live version, unchanged. Check it here; {then}."
            )
            self.message_user(request, text, messages.SUCCESS)
            for note in notes:
                self.message_user(request, note, messages.WARNING)
            return HttpResponseRedirect(change_url)
        current = working_copy_find(item=item)
        context = {
            **self.admin_site.each_context(request),
            "edit_base": edit_token(item),
            "edit_conflict": conflict,
            "opts": opts,
            "object": item,
            "title": f"Restore an earlier version of “{item}”",
            "version": version,
            "version_when": when,
            "version_by": version.revision.user,
            "notes": notes,
            "current_copy": current,
            "current_copy_when": when_text(current.saved_at) if current else "",
            "history_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[item.pk]
            ),
            "change_url": change_url,
            "may_publish": self.has_publish_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/publishing_restore_confirm.html", context)

    def recoverlist_view(self, request, extra_context=None):
        # The list names who last saved each deleted item (templates/reversion/recover_list.html):
        # their user comes in the same query, not one query per row.
        deleted = Version.objects.get_deleted(self.model).select_related("revision__user")
        deleted = deleted.order_by(*(self.get_version_ordering(request) or ()))
        return super().recoverlist_view(request, {"deleted": deleted, **(extra_context or {})})

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id)
        item = self.model._default_manager.filter(pk=version.object_id).first()
        self._note_stored(request, item, "recover")
        return super().recover_view(request, version_id, extra_context)

    def _note_stored(self, request, item, how):
        """Note what is stored of `item` (None: deleted) before the restore or recover."""
        request.publishing_restore = how
        request.publishing_stored = stored_publish_state(item) if item else None

    @contextmanager
    def create_revision(self, request):
        with super().create_revision(request):
            yield
            # The version's comment leads with what it did to readers ("Published", ...).
            action = getattr(request, "publishing_comment", "")
            if action:
                comment = reversion.get_comment()
                reversion.set_comment(f"{action}. {comment}" if comment else action)
