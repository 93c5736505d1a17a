"""PublishableAdmin: the admin of every publishable model: its states, the buttons and messages
that say what readers see, publishing rights, the change list and popups."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import (
    RelatedFieldWidgetWrapper,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from publishing.bulk_admin import BulkActionsAdminMixin
from publishing.desk import (
    autosave_choice_labels,
    content_checks_context,
    fields_described_by,
    findings_message,
)
from publishing.editing import (
    presence_beat,
    presence_for_list,
    presence_others,
)
from publishing.editorial_admin import (
    PUBLISH_NOW,
    EditorialAdmin,
    PublishableAdminForm,
    _AutocompleteSelectNamedEmpty,
    _AutocompleteWithoutClearAll,
)
from publishing.history_admin import HistoryAdminMixin
from publishing.live_form_admin import LiveFormAdminMixin
from publishing.models import Phase, PublishState, Status
from publishing.review_hook import review_hook
from publishing.services import (
    Effect,
    autosave_discard,
    autosave_find,
    may_publish,
    publication_record,
    when_text,
)
from publishing.workingcopy_admin import (
    ACTION_FIELD,
    SAVE_CHANGES_AS_DRAFT,
    WorkingCopyAdminMixin,
)


def _label_date_and_time(db_field, formfield):
    """Name both halves of a date + time pair: Django labels neither (its <label> has no "for")."""
    widget = getattr(formfield, "widget", None)
    if isinstance(widget, forms.SplitDateTimeWidget):
        name = str(formfield.label or db_field.verbose_name).capitalize()
        date, time = widget.widgets
        date.attrs["aria-label"] = f"{name}: date (dd/mm/yyyy)"
        time.attrs["aria-label"] = f"{name}: time (hh:mm)"


def _opened_token(adminform):
    """The edit token the unbound change form has just read for its item (None otherwise)."""
    form = adminform and adminform.form
    if form is None or form.is_bound or getattr(form, "edit_token_stored", None) is not None:
        return None
    field = form.fields.get("edit_base")
    return field.initial if field is not None and field.initial else None


class PublishableAdmin(
    LiveFormAdminMixin,
    HistoryAdminMixin,
    BulkActionsAdminMixin,
    WorkingCopyAdminMixin,
    EditorialAdmin,
):
    """For Publishable models: Draft / Scheduled / Published / Taken down, the publish rule on
    every path (forms, bulk actions, History restore and recover), bulk actions. The form's
    live endpoints (live_form_admin), History (history_admin) and the list's actions and
    delete page (bulk_admin) are parts of their own."""

    form = PublishableAdminForm
    date_hierarchy = "publish_at"
    # The buttons at the foot of the form say what they do to readers (submit_line.html).
    change_form_template = "admin/publishable_change_form.html"

    class Media:
        css = {"all": ["publishing/desk.css", "publishing/desk_actions.css"]}
        js = [
            "js/admin_publishing.js", "js/admin_autosave.js", "js/admin_checks.js",
            "js/admin_writing.js", "js/admin_presence.js",
        ]  # fmt: skip

    def has_publish_permission(self, request):
        return may_publish(user=request.user, model=self.model)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                _AutocompleteWithoutClearAll(db_field, self.admin_site, using=kwargs.get("using")),
            )
        if db_field.name == "topics":
            # A short vocabulary: checkboxes, not the two-box picker ("Hold down Control").
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                _AutocompleteSelectNamedEmpty(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            # No link on the post form deletes the report (or contact) it points to.
            widget.can_delete_related = False
        _label_date_and_time(db_field, formfield)
        return formfield

    def get_form(self, request, obj=None, **kwargs):
        if not getattr(request, "publishing_restore", None):
            # The buttons set the status; the field stays, hidden, holding the current one.
            kwargs["widgets"] = {**kwargs.get("widgets", {}), "status": forms.HiddenInput}
        form = super().get_form(request, obj, **kwargs)
        form.publishing_user = request.user
        form.publishing_restore = getattr(request, "publishing_restore", None)
        form.publishing_stored = getattr(request, "publishing_stored", None)
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        for _, options in fieldsets:
            fields = list(options["fields"])
            if "publish_at" in fields and "confirm_backdate" not in fields:
                fields.insert(fields.index("publish_at") + 1, "confirm_backdate")
                options["fields"] = fields
        return fieldsets

    def get_list_display(self, request):
        return [*super().get_list_display(request), "editing_now"]

    # The review app, if installed, labels rows and freezes items in review (review_hook).
    def get_queryset(self, request):
        return review_hook().list_annotate(super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and not (obj is not None and review_hook().frozen(request, obj))

    def history_view(self, request, object_id, extra_context=None):
        obj = self.model._default_manager.filter(pk=unquote(object_id)).first()
        if obj is not None:
            extra_context = {
                **(extra_context or {}),
                **review_hook().history_context(request, self, obj),
            }
        return super().history_view(request, object_id, extra_context)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        rows = changelist.result_list
        found = presence_for_list(user=request.user, model=self.model, pks=[o.pk for o in rows])
        for row in rows:
            row.presence_sentences = found.get(row.pk, [])
        return changelist

    @admin.display(description="open by")
    def editing_now(self, obj):
        return "; ".join(getattr(obj, "presence_sentences", []))

    def publishing_actions(self, request, obj):
        """The buttons for this item's state, each only for those who may use it."""
        now = timezone.now()
        state = obj.publish_state if obj is not None else PublishState()
        may = self.has_publish_permission(request)
        if not state.published:
            actions = [{"value": "draft", "label": "Save draft", "primary": not may}]
            if may:
                future = state.publish_at and state.publish_at > now
                label = f"Schedule for {when_text(state.publish_at)}" if future else "Publish"
                actions.append({"value": "publish", "label": label, "primary": True})
        elif state.is_scheduled(now) and may:
            # "Publish" with the time in the form: it stays scheduled, or goes live now if
            # the editor brings the time forward (the button's name follows as they type).
            actions = [
                {"value": "publish", "label": f"Schedule for {when_text(state.publish_at)}",
                 "primary": True},
                {"value": PUBLISH_NOW, "label": "Publish now", "primary": False},
                {"value": "unpublish", "label": "Unpublish", "primary": False},
            ]  # fmt: skip
        elif state.is_live(now):
            # Edits to a live item reach readers only on "Publish changes"; until then they
            # are kept as its working copy (publishing.workingcopy_admin).
            actions = [
                {"value": SAVE_CHANGES_AS_DRAFT, "label": "Save changes as draft",
                 "primary": not may},
            ]  # fmt: skip
            if may:
                actions += [
                    {"value": "keep", "label": "Publish changes", "primary": True},
                    {"value": "unpublish", "label": "Unpublish", "primary": False},
                ]
        elif state.is_scheduled(now):
            # Without the publish right, edits to a scheduled item wait as its unpublished
            # changes too (publishable_change_check): it goes live as a publisher left it.
            actions = [
                {"value": SAVE_CHANGES_AS_DRAFT, "label": "Save changes as draft",
                 "primary": True},
            ]  # fmt: skip
        else:
            if state.is_scheduled(now):
                label = f"Save, still scheduled for {when_text(state.publish_at)}"
            else:
                label = "Save changes"
            actions = [{"value": "keep", "label": label, "primary": True}]
            if may:
                actions.append({"value": "unpublish", "label": "Unpublish", "primary": False})
        return actions

    def publishing_now(self, request, obj):
        """One line above the buttons: what readers see now, and who may change it."""
        if obj is None:
            text = "New: readers will not see it until it is published."
        else:
            text = {
                Phase.DRAFT: "Draft: readers cannot see it.",
                Phase.SCHEDULED: "Scheduled: it goes live by itself at its publish time.",
                Phase.PUBLISHED: "Published: readers can see it. Edits reach them only when "
                "published; Save changes as draft keeps them until then.",
                Phase.TAKEN_DOWN: "Taken down: its address tells readers it is gone.",
            }[obj.publish_phase]
        if not self.has_publish_permission(request):
            text += " An editor with the publish right publishes, unpublishes and schedules."
        return text

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if not getattr(request, "publishing_restore", None):
            context["publishing_actions"] = self.publishing_actions(request, obj)
            opts = self.model._meta
            args = [obj.pk] if obj is not None else []
            context["preview_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_preview", args=args
            )
            context["autosave_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_autosave", args=args
            )
            context["autosave_seconds"] = settings.PUBLISHING_AUTOSAVE_SECONDS
            autosave = autosave_find(
                user=request.user, model=self.model, object_id=obj.pk if obj else None
            )
            # Offered back only if newer than the item's last save (someone may have saved
            # since, and then the stored item is the newer text).
            if (
                autosave
                and request.method == "GET"
                and (obj is None or autosave.saved_at > obj.updated_at)
            ):
                context["autosave"] = autosave
                context["autosave_when"] = when_text(autosave.saved_at)
                context["autosave_labels"] = autosave_choice_labels(
                    context["adminform"].form, autosave.data
                )
            context["publishing_now"] = self.publishing_now(request, obj)
            if obj is not None:
                context["presence_url"] = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_presence", args=[obj.pk]
                )
                context["presence_seconds"] = settings.PUBLISHING_PRESENCE_SECONDS
                if request.method == "GET":
                    presence_beat(user=request.user, item=obj, opening=True)
                context["presence_others"] = presence_others(user=request.user, item=obj)
            context.update(content_checks_context(self.model, request, context, obj))
            if obj is not None and not self.has_change_permission(request, obj):
                # Read-only (no right, or frozen in review): nothing to save, autosave or beat.
                context["publishing_actions"], context["preview_url"] = [], None
                context["autosave_url"] = context["presence_url"] = None
            token = _opened_token(context.get("adminform"))
            context.update(review_hook().form_context(request, self, obj, token=token))
        adminform = context.get("adminform")
        if adminform and context.get("field_described_by"):
            fields_described_by(adminform.form, context["field_described_by"])
        context["edit_conflict"] = getattr(adminform and adminform.form, "edit_conflict", None)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _stay_on_form(self, request):
        # After any of the buttons the editor stays on the form, with the message saying
        # what readers now see (as WordPress and Wagtail do).
        if ACTION_FIELD in request.POST and "_continue" not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return request

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(self._stay_on_form(request), obj, post_url_continue)
        return self._with_popup_messages(request, response)

    def response_change(self, request, obj):
        response = super().response_change(self._stay_on_form(request), obj)
        return self._with_popup_messages(request, response)

    # A save in a popup (the "+" beside a post's report) says what happened with the popup's
    # answer, beside the field it filled (js/admin_popup_messages.js), naming the item: queued
    # as a message it would land, nameless, at the top of the opener's next page instead.
    popup_response_template = "admin/publishing_popup_response.html"

    def message_user(self, request, message, level=messages.INFO, extra_tags="", **kwargs):
        if IS_POPUP_VAR in request.POST:
            request.popup_messages = [*getattr(request, "popup_messages", []), message]
            return
        super().message_user(request, message, level, extra_tags, **kwargs)

    def _with_popup_messages(self, request, response):
        if isinstance(response, TemplateResponse) and IS_POPUP_VAR in request.POST:
            response.context_data["popup_messages"] = getattr(request, "popup_messages", [])
        return response

    def save_model(self, request, obj, form, change):
        # Saved for real: the autosave of this form is done with.
        autosave_discard(user=request.user, model=self.model, object_id=obj.pk if change else None)
        publish_change = getattr(form, "publish_change", None)
        if publish_change is not None:
            obj.publish_at = publish_change.after.publish_at
            request.publishing_comment = publish_change.comment
        super().save_model(request, obj, form, change)
        if publish_change is not None and not self.storing_working_copy(request):
            how = getattr(request, "publishing_restore", None) or "form"
            publication_record(item=obj, user=request.user, change=publish_change, how=how)
            text = self.state_message(obj, form)
            if IS_POPUP_VAR in request.POST:
                text = f"“{obj}”: {text}"
            self.message_user(request, text, messages.SUCCESS)
            if publish_change.after.published:
                # Shown again on publishing: the editor may publish anyway, but sees them.
                findings_message(self, request, obj)

    def state_message(self, obj, form):
        """What readers now see, after a save (and who will be alerted)."""
        now = timezone.now()
        state = obj.publish_state
        change = getattr(form, "publish_change", None)
        if state.is_live(now) and change and Effect.PUBLISH_CHANGES in change.effects:
            text = "Changes published: readers can see them now."
        elif state.is_live(now):
            text = "Published: readers can see it now."
            if obj.expire_at:
                text += f" It will be taken down on {when_text(obj.expire_at)} by itself."
        elif state.is_scheduled(now):
            text = f"Scheduled: it goes live on {when_text(obj.publish_at)} by itself."
        elif state.is_expired(now):
            text = "Taken down: its address now tells readers it is gone."
        else:
            text = "Draft saved: readers cannot see it."
        return " ".join([text, *form.alert_notes])

    def slug_needs_redirect(self, form):
        # Only an address readers may have seen needs to keep working.
        return form.initial.get("status") == Status.PUBLISHED

    @admin.display(description="status", ordering="status")
    def state(self, obj):
        phase = obj.publish_phase
        if phase == Phase.PUBLISHED and getattr(obj, "has_working_copy", False):
            text = "Live + unpublished changes"
        elif phase == Phase.SCHEDULED and getattr(obj, "has_working_copy", False):
            text = "Scheduled + unpublished changes"
        else:
            text = phase.label
        label = review_hook().list_label(obj)
        return f"{text} · {label}" if label else text

    @admin.display(description="topics")
    def topic_names(self, obj):
        return ", ".join(topic.name for topic in obj.topics.all())
