"""Admin building blocks for editors: the editorial form (edit tokens, the publishing buttons and
their rights), list filters and inputs, read-only lists, and EditorialAdmin (history, slug
redirects, the image chooser)."""

import copy
from collections import Counter

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList as AdminChangeList
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateformat import format as date_format
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from library.admin import ImageChooserMixin, image_thumbnail
from publishing.editing import (
    edit_conflict,
    edit_token,
    stored_values,
)
from publishing.models import Phase, PublishState, Status
from publishing.services import (
    publishable_alert_notes,
    publishable_change_check,
    slug_redirect_record,
    when_text,
)
from publishing.workingcopy_admin import (
    ACTION_FIELD,
    SAVE_CHANGES_AS_DRAFT,
)

# The change form's buttons post ACTION_FIELD=<action>; these set the status.
ACTION_STATUS = {
    "draft": Status.DRAFT,
    "publish": Status.PUBLISHED,
    "publish_now": Status.PUBLISHED,
    "unpublish": Status.DRAFT,
}
# Publishes dated now, whatever time the form holds (a scheduled item's one-click button).
PUBLISH_NOW = "publish_now"
# A save changing only these (and the form's machinery) changes no content.
PUBLICATION_FIELDS = {"status", "publish_at", "expire_at", "edit_base", "confirm_backdate"}


class ChangeList(AdminChangeList):
    """Django's admin list, with a date hierarchy's impossible year, month or day answering
    like any invalid filter: Django lets an overflowing year (OverflowError) and the year
    9999 (whose next year does not exist) through as 500s."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class ListInputMixin:
    """For every admin with a date hierarchy: bad dates in the list's address are refused."""

    def get_changelist(self, request, **kwargs):
        return ChangeList


class _AutocompleteSelectNamedEmpty(AutocompleteSelect):
    """A one-item picker whose empty choice has a name: an empty <option> is invalid HTML (the
    Nu checker's error). select2 still shows its own (empty) placeholder for it."""

    def create_option(self, name, value, label, *args, **kwargs):
        return super().create_option(name, value, label if value != "" else "None", *args, **kwargs)


class _AutocompleteWithoutClearAll(AutocompleteSelectMultiple):
    """A many-item picker without select2's "remove all" cross: each item keeps its own.

    The cross-for-all is one click from emptying the field, and select2 puts it where only
    list items may go (axe "list").
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-allow-clear"] = "false"
        return attrs


# The list's filter value for live items with a working copy (beside the Phase values).
LIVE_WITH_CHANGES = "changes"


class StateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (Phase.DRAFT, Phase.DRAFT.label),
            (Phase.SCHEDULED, Phase.SCHEDULED.label),
            (Phase.PUBLISHED, Phase.PUBLISHED.label),
            (LIVE_WITH_CHANGES, "Live + unpublished changes"),
            (Phase.TAKEN_DOWN, Phase.TAKEN_DOWN.label),
        ]

    def queryset(self, request, queryset):
        return {
            Phase.DRAFT: queryset.drafts,
            Phase.SCHEDULED: queryset.scheduled,
            Phase.PUBLISHED: queryset.live,
            LIVE_WITH_CHANGES: queryset.live_with_changes,
            Phase.TAKEN_DOWN: queryset.expired,
        }.get(self.value(), queryset.all)()


class _BoundFieldHiddenUnlabelled(forms.BoundField):
    """A hidden field in a fieldset gets no <label>: one pointing at a hidden input is invalid
    HTML (the Nu checker's error) and names nothing an editor can reach."""

    def label_tag(self, *args, **kwargs):
        return "" if self.is_hidden else super().label_tag(*args, **kwargs)


class EditorialAdminForm(forms.ModelForm):
    """Carries the version the editor opened (publishing.editing.edit_token): a save after
    someone else's is refused, and the form comes back with everything typed and a compare."""

    bound_field_class = _BoundFieldHiddenUnlabelled
    edit_base = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set per request by EditorialAdmin.get_form when History put an old version in the form:
    # the item's token from before (its row was rewritten with the old version since).
    edit_token_stored = None
    # ...and its fields as stored then (publishing.editing.stored_values), for the compare.
    edit_values_stored = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.edit_conflict = None
        if self.instance.pk and not self.is_bound:
            self.fields["edit_base"].initial = self._token_now()

    def _token_now(self, lock=False):
        if self.edit_token_stored is not None:
            return self.edit_token_stored
        return edit_token(self.instance, lock=lock)

    def clean(self):
        cleaned = super().clean()
        name = self.add_prefix("edit_base")
        opened = self.data.get(name)
        if self.instance.pk is None:
            return cleaned
        now = self._token_now(lock=True)
        # A form posted without the token (a tab opened before forms carried it, a hand-made
        # request) cannot say what its author saw: it is refused like a stale one unless
        # nothing is stored to overwrite (a recover of a deleted item).
        if (opened or "") == now:
            return cleaned
        conflict = edit_conflict(
            form=self, item=self.instance, token=opened, stored=self.edit_values_stored
        )
        self.edit_conflict = conflict
        # The form comes back at the current version: saving it again, after merging by hand,
        # is a save over a change its author has now seen.
        self.data = self.data.copy()
        self.data[name] = now
        if conflict["unknown_base"] and not conflict["deleted"]:
            text = (
                f"This form did not say which version of the {conflict['verbose_name']} you "
                "opened (a page opened before an update of the desk, or a form not sent by "
                "it), so it could overwrite someone else's changes. Nothing was saved: what "
                "you typed and chose is still in the form. Compare it with what is saved now "
                "(above the form), merge by hand, then save again."
            )
        elif conflict["deleted"]:
            text = (
                f"Someone deleted this {conflict['verbose_name']} after you opened it. Nothing "
                "was saved; what you typed is still in the form: copy it before leaving."
            )
        else:
            text = (
                f"{conflict['who']} saved this {conflict['verbose_name']} "
                f"{'at ' + conflict['when'] + ' ' if conflict['when'] else ''}after you opened "
                "it. Nothing was saved: what you typed and chose is still in the form. Compare "
                "their changes with yours (Changed since you opened it, above the form), "
                "merge by hand, then save again."
            )
        raise forms.ValidationError(text, code="edit_conflict")


class PublishableAdminForm(EditorialAdminForm):
    """Applies the publish rule (publishing.services.publishable_change_check) to the form's
    status, publish time and take-down time, and asks before a deliberate backdate."""

    # Set per request by PublishableAdmin.get_form; a form used without one may not publish
    # (None would mean the system, which may).
    publishing_user = AnonymousUser()
    # "restore" or "recover" when History put an old version into the form; the instance is
    # then that version, and `publishing_stored` what was stored before (None: nothing).
    publishing_restore = None
    publishing_stored = None

    confirm_backdate = forms.BooleanField(
        label="Yes, publish it with this past date",
        required=False,
        widget=forms.HiddenInput,  # shown only when the form asks (see clean)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.publish_change = None
        self.alert_notes = []
        if self.publishing_restore:
            self.before = self.publishing_stored
        else:
            self.before = PublishState.of(self.instance) if self.instance.pk else None
        copy = getattr(self.instance, "working_copy", None)
        if copy is not None and not self.is_bound:
            # Unpublished changes on show: their change note too (PublishableAdmin.get_object).
            self.initial.update({k: v for k, v in copy.extra.items() if k in self.fields})
        if self.publishing_restore and "status" in self.fields:
            self._restore_keeps_publication()
        elif "status" in self.fields:
            self.fields["status"].required = False  # the buttons set it

    def _restore_keeps_publication(self):
        # Restoring brings back content, not publication: the form starts from the item's
        # current state (a draft for a deleted item), and only a publisher may change it.
        current = self.before or PublishState(Status.DRAFT, self.instance.publish_at)
        self.initial.update(
            status=current.status, publish_at=current.publish_at, expire_at=current.expire_at
        )
        if self.publishing_restore == "recover":
            note = "A recovered item comes back as a draft"
        else:
            note = "Restoring keeps the item's current status and dates"
        self.fields[
            "status"
        ].help_text = f"{note}; an editor who may publish can choose otherwise here."

    def _status_from_button(self, cleaned):
        # The change form's buttons (see PublishableAdmin.publishing_actions) say what to do;
        # a form posted without one (History's restore form) keeps its status field.
        action = self.data.get(ACTION_FIELD)
        current = self.before.status if self.before else Status.DRAFT
        if action in ("keep", SAVE_CHANGES_AS_DRAFT):
            return current
        return ACTION_STATUS.get(action, cleaned.get("status") or current)

    def _after(self, cleaned):
        values = {}
        # Unpublished changes never carry dates (see WorkingCopyAdminMixin._store_working_copy).
        as_draft_changes = self.before is not None and (
            self.data.get(ACTION_FIELD) == SAVE_CHANGES_AS_DRAFT
        )
        for name in ("status", "publish_at", "expire_at"):
            stored = getattr(self.before, name) if self.before else None
            if as_draft_changes:
                values[name] = stored
            elif name not in self.fields:
                values[name] = stored if self.before else getattr(self.instance, name)
            elif name == "status":
                values[name] = cleaned["status"] = self._status_from_button(cleaned)
            elif name == "publish_at" and self.data.get(ACTION_FIELD) == PUBLISH_NOW:
                values[name] = None  # the publish rule dates it now
            elif self.before is None or name in self.changed_data:
                values[name] = cleaned.get(name)
            else:
                values[name] = stored  # unchanged: keep the stored value to the microsecond
        if "status" in self.fields:
            cleaned["status"] = values["status"]
        return PublishState(**values)

    def clean(self):
        cleaned = super().clean()
        if self.edit_conflict is not None:
            return cleaned
        if any(name in self.errors for name in ("status", "publish_at", "expire_at")):
            return cleaned
        after = self._after(cleaned)
        ends_first = after.expire_at and after.publish_at and after.expire_at <= after.publish_at
        if after.published and ends_first:
            self.add_error("expire_at", "The take-down time must be after the publish time.")
            return cleaned
        change = publishable_change_check(
            model=self._meta.model,
            before=self.before,
            after=after,
            user=self.publishing_user,
            # "Publish changes" on a live item puts the form's content before readers, and so
            # would restoring an old version through this form of an item that went live
            # since (a live item's restore is a working copy: PublishableAdmin.revision_view).
            publishes_changes=self.data.get(ACTION_FIELD) in ("keep", "publish", PUBLISH_NOW)
            or self.publishing_restore == "restore",
            item=self.instance if self.instance.pk else None,
            content_changed=bool(set(self.changed_data) - PUBLICATION_FIELDS),
        )
        if not change.allowed:
            self.add_error(None, change.message)
            return cleaned
        self.publish_change = change
        if "publish_at" in self.fields:
            cleaned["publish_at"] = change.after.publish_at
        self.alert_notes = publishable_alert_notes(item=self.instance, change=change)
        if change.backdated and not cleaned.get("confirm_backdate"):
            self.fields["confirm_backdate"].widget = forms.CheckboxInput()
            when = when_text(change.after.publish_at)
            self.add_error(
                "confirm_backdate",
                f"This publishes it backdated to {when}: readers will see that date, not "
                f"today's, and it will sit among older items. {' '.join(self.alert_notes)} "
                "Tick the box to go ahead, or empty the publish time to publish it dated now.",
            )
        return cleaned


class ReadOnlyAdminMixin:
    """A list to look at only: a report or a directory, whose rows are made elsewhere."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EditorialAdmin(ListInputMixin, ImageChooserMixin, CompareVersionAdmin):
    """History (versions, compare, restore, recover), slug redirects and the image chooser."""

    # The library image the list's "image" column shows (a foreign key to library.Image).
    image_field = None
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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.edit_token_stored = getattr(request, "edit_token_stored", None)
        form.edit_values_stored = getattr(request, "edit_values_stored", None)
        return form

    # History's restore and recover write the old version to the row before the form is
    # built; the token the form carries and is checked against is the one from before.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        item = self.model._default_manager.filter(pk=unquote(object_id)).first()
        request.edit_token_stored = edit_token(item)
        request.edit_values_stored = stored_values(item)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id)
        item = self.model._default_manager.filter(pk=version.object_id).first()
        request.edit_token_stored = edit_token(item)
        return super().recover_view(request, version_id, extra_context)

    def _get_action_list(self, request, object_id, extra_context=None):
        # History: UK date and time of each save, with seconds where two saves share a
        # minute (else they look the same). django-reversion-compare's private method: its
        # output is tested (tests/publishing/test_revisions.py).
        actions = super()._get_action_list(request, object_id, extra_context)
        moments = [timezone.localtime(a["revision"].date_created) for a in actions]
        minutes = Counter(moment.replace(second=0, microsecond=0) for moment in moments)
        for action, moment in zip(actions, moments, strict=True):
            shared = minutes[moment.replace(second=0, microsecond=0)] > 1
            action["when"] = date_format(moment, "d/m/Y H:i:s" if shared else "d/m/Y H:i")
        return actions

    def slug_needs_redirect(self, form):
        return True

    def save_model(self, request, obj, form, change):
        old_path = None
        # The stored slug, which the form's initial one is not when it showed unpublished
        # changes (see WorkingCopyAdminMixin.get_object).
        old_slug = getattr(obj, "stored_slug", form.initial.get("slug"))
        if (
            change
            and "slug" in form.fields
            and old_slug != obj.slug
            and self.slug_needs_redirect(form)
        ):
            old = copy.copy(obj)
            old.slug = old_slug
            old_path = old.get_absolute_url()
        super().save_model(request, obj, form, change)
        if old_path:
            slug_redirect_record(old_path=old_path, new_path=obj.get_absolute_url())

    def get_list_select_related(self, request):
        if self.image_field and "thumbnail" in self.get_list_display(request):
            return [self.image_field]
        return super().get_list_select_related(request)

    @admin.display(description="image")
    def thumbnail(self, obj):
        return image_thumbnail(getattr(obj, self.image_field)) if self.image_field else ""
