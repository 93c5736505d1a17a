"""Editorial flows shared by every publishable model: publish, preview links, redirects, images."""

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.db import transaction
from django.utils import timezone

from publishing.images import image_process
from publishing.models import PREVIEW_MAX_AGE, PreviewLink, Status


def _save_with_revision(items, *, user, comment, status):
    changed = 0
    with transaction.atomic(), reversion.create_revision():
        for item in items:
            if item.status != status:
                item.status = status
                item.save(update_fields=["status", "updated_at"])
                changed += 1
            # Every item is in the revision, so each one's history records who acted.
            reversion.add_to_revision(item)
        reversion.set_user(user)
        reversion.set_comment(comment)
    return changed


def publishable_publish(*, items, user):
    """Publish items (a future publish time leaves them scheduled); returns how many changed."""
    return _save_with_revision(
        items, user=user, comment="Published with the bulk action.", status=Status.PUBLISHED
    )


def publishable_unpublish(*, items, user):
    """Return items to draft, so readers no longer see them; returns how many changed."""
    return _save_with_revision(
        items, user=user, comment="Unpublished with the bulk action.", status=Status.DRAFT
    )


def preview_link_create(*, item, user):
    """A new signed preview link for `item`, valid for seven days unless revoked."""
    return PreviewLink.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        created_by=user,
        expires_at=timezone.now() + PREVIEW_MAX_AGE,
    )


def preview_link_revoke(*, links):
    """Stop links working at once; returns how many were still live."""
    return links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def slug_redirect_record(*, old_path, new_path):
    """Make `old_path` answer 301 to `new_path`, re-pointing older redirects so none chain."""
    redirects_record(pairs={old_path: new_path})


def redirects_record(*, pairs):
    """Record many old path → new path redirects at once, by slug_redirect_record's rule.

    No redirect ever leads to another: older ones that pointed at an old path now point
    where it goes, and an address that is a destination again stops being redirected.
    A few queries in all, however many pairs (an import records thousands).
    Returns {"created": n, "updated": n, "skipped": n} (skipped: already so).
    """
    pairs = {old: _final(new, pairs) for old, new in pairs.items()}
    pairs = {old: new for old, new in pairs.items() if old != new}
    outcome = {"created": 0, "updated": 0, "skipped": 0}
    if not pairs:
        return outcome
    redirects = Redirect.objects.filter(site_id=settings.SITE_ID)
    with transaction.atomic():
        redirects.filter(old_path__in=set(pairs.values())).delete()
        repointed = list(redirects.filter(new_path__in=pairs.keys()))
        for redirect in repointed:
            redirect.new_path = pairs[redirect.new_path]
        Redirect.objects.bulk_update(repointed, ["new_path"])
        existing = {r.old_path: r for r in redirects.filter(old_path__in=pairs.keys())}
        changed = []
        for old, new in pairs.items():
            redirect = existing.get(old)
            if redirect is None:
                continue
            if redirect.new_path == new:
                outcome["skipped"] += 1
            else:
                redirect.new_path = new
                changed.append(redirect)
        Redirect.objects.bulk_update(changed, ["new_path"])
        outcome["updated"] = len(changed)
        created = [
            Redirect(site_id=settings.SITE_ID, old_path=old, new_path=new)
            for old, new in pairs.items()
            if old not in existing
        ]
        Redirect.objects.bulk_create(created)
        outcome["created"] = len(created)
    return outcome


def _final(path, pairs):
    """Where `path` ends up after following `pairs` (which may chain among themselves)."""
    seen = {path}
    while path in pairs and pairs[path] not in seen:
        path = pairs[path]
        seen.add(path)
    return path


def image_renditions_make(*, instance, image_field, renditions_field):
    """Clean the newly saved image on `instance` and store its renditions beside it.

    Runs once, when an editor saves a new image; pages only read what this stores.
    """
    # Earlier renditions stay on disk: an older version in the history may still use them.
    field_file = getattr(instance, image_field)
    renditions = image_process(field_file) if field_file else {}
    setattr(instance, renditions_field, renditions)
    type(instance).objects.filter(pk=instance.pk).update(
        **{image_field: field_file.name or "", renditions_field: renditions}
    )
