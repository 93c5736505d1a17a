"""The kernel's one hook for a review app: what PublishableAdmin asks about an item's review
(frozen content, list labels, the form's review panel, extra admin addresses), so the kernel
names no app above it. Without a registered hook, every answer is "no review"."""


class ReviewHook:
    """What the publishing admin asks. The default answers as if no review app were installed;
    a review app subclasses it and registers one instance from its AppConfig.ready()."""

    def list_annotate(self, queryset):
        """The admin list's queryset, with whatever list_label reads added to its one query."""
        return queryset

    def list_label(self, obj):
        """Words added to an item's status in admin lists ("In review"), or ""."""
        return ""

    def frozen(self, request, obj):
        """Why nobody may change `obj`'s content now (a sentence), or "": the admin then shows
        its form read-only and refuses a post to it."""
        return ""

    def form_context(self, request, model_admin, obj, *, token=None):
        """Extra context for the change form; `review_template` is included above the form,
        `field_notes_template` after each field (given `field_name`), and
        `field_described_by` ({field name: [element ids]}) describes the fields' inputs.
        `token`: the item's edit token (publishing.editing.edit_token) as the form just read
        it, when it did, so it is not read twice."""
        return {}

    def history_context(self, request, model_admin, obj):
        """Extra context for the item's history page (`review_history_template` is shown)."""
        return {}

    def publish_refusal(self, *, model, item, user, content_changed):
        """Why `user` may not put `item`'s content before readers now (a sentence), or "".
        Asked by the publish rule (publishing.services.publishable_change_check) on every
        path; `item` is None for a new item, `content_changed` when the same save edits it."""
        return ""

    def publication_changed(self, *, item, user, change, how):
        """Told after every change to what readers see of `item` (publish, schedule,
        unpublish, publish its changes, move its times), on every path, inside the save's
        transaction: `change` is the publish rule's PublishChange, `user` None for the
        system, `how` the path ("form", "bulk action", "restore", or the code's comment)."""

    def urls(self, model_admin):
        """More admin addresses under each publishable model's (the review's own views)."""
        return []


_hook = ReviewHook()


def review_hook():
    """The registered hook (a do-nothing one when no review app is installed)."""
    return _hook


def register_review_hook(hook):
    """Install the review app's hook; called once, from its AppConfig.ready()."""
    global _hook  # one slot, filled once when Django starts
    _hook = hook
