"""What a publishable item's open change form posts to while an editor works: the preview
of the unsaved form, the checks before publishing, autosave and who else has it open."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.utils import timezone

from publishing.content_checks import check_item
from publishing.editing import presence_beat, presence_leave, presence_others
from publishing.models import item_title, set_item_title
from publishing.review_hook import review_hook
from publishing.services import autosave_discard, autosave_store, when_text
from publishing.views import render_unsaved


class LiveFormAdminMixin:
    """A part of PublishableAdmin: the URLs its change form's scripts call."""

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_preview"
        view = self.admin_site.admin_view(self.preview_view)
        autosave = self.admin_site.admin_view(self.autosave_view)
        autosave_name = f"{opts.app_label}_{opts.model_name}_autosave"
        checks = self.admin_site.admin_view(self.checks_view)
        checks_name = f"{opts.app_label}_{opts.model_name}_checks"
        return [
            path("add/checks/", checks, name=checks_name),
            path("<path:object_id>/checks/", checks, name=checks_name),
            path("add/preview/", view, name=name),
            path("<path:object_id>/preview/", view, name=name),
            path("add/autosave/", autosave, name=autosave_name),
            path("<path:object_id>/autosave/", autosave, name=autosave_name),
            path(
                "<path:object_id>/presence/",
                self.admin_site.admin_view(self.presence_view),
                name=f"{opts.app_label}_{opts.model_name}_presence",
            ),
            *review_hook().urls(self),
            *super().get_urls(),
        ]

    def _form_object(self, request, object_id):
        """The item a preview or autosave is for (None for an add form), checking the right."""
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and obj is None:
            raise Http404("No such item.")
        allowed = (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def autosave_view(self, request, object_id=None):
        """Keep (or, with _discard, drop) the editor's unsaved form: posted by the form's
        script every 30 s while it has unsaved changes."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._form_object(request, object_id)
        pk = obj.pk if obj is not None else None
        if request.POST.get("_discard"):
            autosave_discard(user=request.user, model=self.model, object_id=pk)
            return JsonResponse({"discarded": True})
        autosave = autosave_store(
            user=request.user, model=self.model, object_id=pk, post=request.POST
        )
        return JsonResponse({"saved_at": when_text(autosave.saved_at)})

    def presence_view(self, request, object_id):
        """The open form's beat (POST; with _leave, it was closed): who else has it open."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._form_object(request, object_id)
        if request.POST.get("_leave"):
            presence_leave(user=request.user, item=obj)
            return JsonResponse({"others": []})
        presence_beat(user=request.user, item=obj)
        return JsonResponse({"others": presence_others(user=request.user, item=obj)})

    def _unsaved_item(self, request, object_id):
        """The item as the posted form has it, unsaved, and its many-to-many choices."""
        obj = self._form_object(request, object_id)
        form_class = self.get_form(request, obj, change=obj is not None)
        form = form_class(request.POST, request.FILES, instance=obj)
        form.is_valid()  # builds form.instance from every valid field; nothing is saved
        relations = {
            field.name: form.cleaned_data.get(field.name, [])
            for field in self.model._meta.many_to_many
            if field.name in form.fields
        }
        return form.instance, relations

    def preview_view(self, request, object_id=None):
        """The form's current, unsaved content through the public template (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item, relations = self._unsaved_item(request, object_id)
        set_item_title(item, item_title(item) or "(No title yet)")
        item.slug = item.slug or "preview"
        # "Posted on" shows the date it would get if published now (the publish rule's).
        item.publish_at = item.publish_at or timezone.now().replace(microsecond=0)
        ids = {name: [obj.pk for obj in objects] for name, objects in relations.items()}
        return render_unsaved(request, item, relation_ids=ids)

    def checks_view(self, request, object_id=None):
        """The checks before publishing for the form's unsaved content (JSON; POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item, _relations = self._unsaved_item(request, object_id)
        # A required text field the editor emptied (the standfirst) is refused by the form and
        # keeps its stored value on the instance; the checks read it as empty, as typed.
        for field in self.model._meta.concrete_fields:
            typed = request.POST.get(field.name)
            text_field = isinstance(field, (models.CharField, models.TextField))
            if text_field and typed is not None and not typed.strip() and not field.choices:
                setattr(item, field.attname, "")
        return JsonResponse({"findings": [f.as_dict() for f in check_item(item)]})
