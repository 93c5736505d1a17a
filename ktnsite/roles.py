"""Roles: the "Editors" group and the one list of what editors may do."""

from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
CONTENT = ["add", "change", "delete", "view"]

# app_label.model -> actions. Models not installed are skipped, so when a model is added later,
# a new migration calling editors_group_sync() again grants it. Users, groups and permissions
# are deliberately absent.
EDITOR_PERMISSIONS = {
    "news.post": [*CONTENT, "publish"],
    "reports.report": [*CONTENT, "publish"],
    "events.event": [*CONTENT, "publish"],
    # Slides and recordings attached to an event after it.
    "events.eventfile": CONTENT,
    # Who registered for an event, and the emails owed to them (retry failed ones). Exporting
    # registrations as CSV ("export_registration") is given to no group by default.
    "events.registration": ["view"],
    "events.registrationemail": ["view", "change"],
    "opportunities.opportunity": [*CONTENT, "publish"],
    "contacts.contact": [*CONTENT, "publish"],
    "topics.topic": [*CONTENT, "publish"],
    "publishing.previewlink": ["change", "delete", "view"],
    # The image library: upload, describe, replace; deleting is refused while an image is used.
    "library.image": CONTENT,
    "library.tag": CONTENT,
    "redirects.redirect": CONTENT,
    # The footer's site pages (privacy notice, accessibility statement, cookies, contact).
    "flatpages.flatpage": CONTENT,
    # Readers' list of a post's updates: notes are added from the post, reworded here.
    "news.postchange": ["view", "change"],
    # The enquiry inbox: read, mark handled, resend a failed delivery.
    "contacts.enquiry": ["view", "change"],
    # The mailing list: read, export, and erase a subscriber on request (deletion is erasure).
    "mailinglist.subscriber": ["view", "delete"],
    # The outbox's dead letters (alerts and sign-up emails that gave up): see them and retry
    # them (the retry action takes "change"; every field of these rows is read-only).
    "mailinglist.delivery": ["view", "change"],
    "mailinglist.signupemail": ["view", "change"],
    "ktnsite.opportunityreminder": ["view", "change"],
    "ktnsite.opportunitywatch": ["view", "change"],
    "mailinglist.topicaudience": ["view"],
    # Reviews: the list of what waits (deciding is done on the item, by its publish right).
    "review.review": ["view"],
    "review.reviewmail": ["view"],
    # Links sent to outside experts: see and revoke them.
    "review.expertlink": ["view", "change"],
    # The dashboard's "What readers did": daily totals, nothing about any reader.
    "dashboard.dailycount": ["view"],
}


def editors_group_sync(apps, schema_editor=None):
    """Create or update the Editors group; safe to run in any migration, any number of times."""
    # During a fresh migrate, permissions are only created after all migrations have run.
    # create_permissions skips apps without a models module, which is how migration states
    # present every app; the real value is put back so the live registry is never changed.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    wanted = {
        (label.split(".")[0], f"{action}_{label.split('.')[1]}")
        for label, actions in EDITOR_PERMISSIONS.items()
        for action in actions
    }
    permissions = [
        permission
        for permission in Permission.objects.select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    group.permissions.set(permissions)
