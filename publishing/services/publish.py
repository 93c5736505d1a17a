"""The publish rule and the editorial flows around it: publishing, unpublishing and deleting under
the one right, autosaves, preview links and redirects."""

import logging
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from publishing.models import (
    PREVIEW_MAX_AGE,
    Autosave,
    PreviewLink,
    PublishState,
    Status,
)
from publishing.review_hook import review_hook
from publishing.signals import going_live_notes

logger = logging.getLogger(__name__)

# An explicit publish time this far in the past, on an item going live, is a deliberate
# backdate (the form asks the editor to confirm it); anything nearer is "now" typed by hand.
BACKDATE_TOLERANCE = timedelta(minutes=5)


class PublishRefused(Exception):
    """A change the user may not make; `str()` says why, and nothing was saved."""


class Effect(StrEnum):
    """What a change does to readers. Logic compares members; the value is how a message to
    editors names it ("you cannot publish it or ...")."""

    PUBLISH = "publish it"
    SCHEDULE = "schedule it for"  # a message adds the time
    UNPUBLISH = "unpublish it"
    CANCEL = "cancel its publication"  # unpublishing a scheduled item
    EARLIER = "bring its publish time earlier"
    LATER = "move its publish time later"
    TAKE_DOWN_TIME = "change its take-down time"
    PUBLISH_CHANGES = "publish changes to it"


@dataclass(frozen=True)
class PublishChange:
    """What a change of status / publish time / take-down time does to readers, and whether
    the user may make it. Built by `publishable_change_check`, the one publish rule."""

    before: PublishState
    after: PublishState  # publish_at stamped when publishing without a time
    effects: tuple  # Effects: what it changes for readers
    allowed: bool
    message: str  # why it is refused, else ""
    comment: str  # for the version history: "Published", "Scheduled for …", ...
    goes_live: bool  # readers see it after the change and did not before (now or when due)
    backdated: bool  # goes live with an explicit time before now, on purpose
    # The save's content must wait as the item's unpublished changes (its working copy):
    # the user may not publish and readers see the item, or will at its publish time.
    held_back: bool = False

    @property
    def changes_publication(self):
        return bool(self.effects)


def when_text(moment):
    """A moment as every message to editors writes it: dd/mm/yyyy HH:MM, the site's time."""
    return date_format(timezone.localtime(moment), "d/m/Y H:i")


def _seconds(moment):
    # Forms show and send whole seconds: a stored time with microseconds is not a change.
    return moment.replace(microsecond=0) if moment else None


def may_publish(*, user, model):
    """Whether `user` holds the model's publish right; None is the system (commands)."""
    if user is None:
        return True
    opts = model._meta.concrete_model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def publishable_change_check(
    *, model, before, after, user, now=None, publishes_changes=False, item=None,
    content_changed=False,
):  # fmt: skip
    """The publish rule: what going from `before` to `after` (PublishStates) does, and
    whether `user` may do it. Every path that writes status, publish_at or expire_at calls
    this: the admin's add and change forms, bulk actions, history restore and recover,
    management commands and imports (through `publishable_save`).

    Without the model's publish right, a user may create and edit drafts (dates included:
    nothing is public) and taken-down items, but not publish, schedule, unpublish, or move a
    published item's publish or take-down time, and never change what readers see of a live
    or scheduled item: an edit of one is allowed only as its unpublished changes
    (`held_back`: the caller keeps it as the working copy, whatever button the request named
    or left out), for a publisher to publish. `before` is None for an item that does not
    exist yet (an add, a recover). `publishes_changes`: the save puts edited content in
    front of readers (*Publish changes* on a live item, applying its working copy), which
    also takes the publish right.

    `item` (the stored item, None for a new one) and `content_changed` (the same save edits
    its content) are for the review app's two-person rule (publishing.review_hook), asked
    whenever a user's change puts content before readers.
    """
    now = now or timezone.now()
    before = before or PublishState()
    publish_at = after.publish_at
    if after.published and publish_at is None:
        # Publishing without a time: the moment it went live, which for an item already
        # live is when it went live, and otherwise now.
        already = before.published and before.publish_at and before.publish_at <= now
        publish_at = before.publish_at if already else now.replace(microsecond=0)
    after = PublishState(after.status, publish_at, after.expire_at)
    b_live, a_live = before.is_live(now), after.is_live(now)
    effects, comment = [], ""
    if after.published and not before.published:
        if a_live:
            effects.append(Effect.PUBLISH)
            comment = "Published"
        elif after.is_scheduled(now):
            effects.append(Effect.SCHEDULE)
            comment = f"Scheduled for {when_text(after.publish_at)}"
        else:
            effects.append(Effect.PUBLISH)
            comment = "Published (already past its take-down time)"
    elif before.published and not after.published:
        effects.append(Effect.UNPUBLISH if b_live else Effect.CANCEL)
        comment = "Unpublished"
    elif after.published:
        old, new = _seconds(before.publish_at), _seconds(after.publish_at)
        if old != new:
            if new < old:
                effects.append(Effect.EARLIER)
            else:
                effects.append(Effect.LATER)
            if a_live and not b_live:
                comment = "Published"
            elif after.is_scheduled(now):
                comment = f"Scheduled for {when_text(after.publish_at)}"
            elif b_live and not a_live:
                comment = "Unpublished"
            else:
                comment = f"Publish time changed to {when_text(after.publish_at)}"
        if _seconds(before.expire_at) != _seconds(after.expire_at):
            effects.append(Effect.TAKE_DOWN_TIME)
            if b_live and not a_live and not after.is_scheduled(now):
                expiry = "Taken down"
            elif after.expire_at is None:
                expiry = "Take-down time removed"
            else:
                expiry = f"Take-down set for {when_text(after.expire_at)}"
            comment = f"{comment}; {expiry}" if comment else expiry
    if publishes_changes and b_live and a_live:
        effects.insert(0, Effect.PUBLISH_CHANGES)
        comment = f"Changes published; {comment}" if comment else "Changes published"
    backdated = bool(a_live and not b_live and after.publish_at < now - BACKDATE_TOLERANCE)
    if backdated and comment:
        comment = f"{comment} (backdated to {when_text(after.publish_at)})"
    may = may_publish(user=user, model=model)
    allowed = not effects or may
    message = ""
    goes_live = not b_live and (a_live or after.is_scheduled(now)) and before != after
    if allowed and user is not None and (goes_live or Effect.PUBLISH_CHANGES in effects):
        message = review_hook().publish_refusal(
            model=model, item=item, user=user, content_changed=content_changed
        )
        allowed = not message
    if not allowed and not message:
        opts = model._meta
        words = [
            f"{effect} {when_text(after.publish_at)}" if effect is Effect.SCHEDULE else effect
            for effect in effects
        ]
        message = (
            f"You do not have permission to publish {opts.verbose_name_plural}, so you cannot "
            f"{' or '.join(words)}. Nothing was saved: save your changes as a draft (or "
            "leave the publishing fields as they were) and ask an editor who can publish."
        )
    return PublishChange(
        before=before,
        after=after,
        effects=tuple(effects),
        allowed=allowed,
        message=message,
        comment=comment,
        goes_live=goes_live,
        backdated=backdated,
        held_back=allowed and not may and readers_see(before, now),
    )


def readers_see(state, now=None):
    """Whether readers see an item in `state` (a PublishState), now or at its publish time:
    what only a publisher may change or delete."""
    now = now or timezone.now()
    return state is not None and (state.is_live(now) or state.is_scheduled(now))


def edits_held_back(*, model, before, user, now=None):
    """Whether `user`'s edits to an item stored as `before` wait as its unpublished changes:
    the one publish rule (publishable_change_check) says so for every save."""
    return readers_see(before, now) and not may_publish(user=user, model=model)


def publishable_delete_check(*, items, user, now=None):
    """Deleting takes an item away from readers like unpublishing it, so deleting a live or
    scheduled item takes the model's publish right; drafts and taken-down items stay
    deletable by whoever may delete them. Raises PublishRefused (naming the items) if not."""
    now = now or timezone.now()
    refused = [
        item
        for item in items
        if readers_see(PublishState.of(item), now) and not may_publish(user=user, model=type(item))
    ]
    if refused:
        opts = type(refused[0])._meta
        names = ", ".join(f"“{item}”" for item in refused[:5])
        more = f" and {len(refused) - 5} more" if len(refused) > 5 else ""
        raise PublishRefused(
            f"You do not have permission to publish {opts.verbose_name_plural}, so you cannot "
            f"delete what readers see or will see at its publish time: {names}{more}. Nothing "
            "was deleted: unpublishing or deleting it is for an editor who can publish."
        )


def stored_publish_state(item):
    """The item's publication fields as stored now (None if it is not saved yet)."""
    if item.pk is None:
        return None
    row = (
        type(item)
        ._default_manager.filter(pk=item.pk)
        .values_list("status", "publish_at", "expire_at")
        .first()
    )
    return PublishState(*row) if row else None


def publishable_save(
    *, item, user=None, before=None, comment="", now=None, publishes_changes=False
):
    """Save `item` after checking the publish rule: the entry point for code outside the
    admin (commands, the WordPress importer). Returns the PublishChange.

    `before` defaults to what is stored (nothing for a new item). Raises PublishRefused,
    saving nothing, when `user` may not make the change; `user=None` is the system. Saves in
    a revision with the publishing action as its comment, so the history shows it.
    """
    if before is None:
        before = stored_publish_state(item)
    change = publishable_change_check(
        model=type(item),
        before=before,
        after=PublishState.of(item),
        user=user,
        now=now,
        publishes_changes=publishes_changes,
        item=item,
    )
    if not change.allowed:
        raise PublishRefused(change.message)
    if change.held_back:
        # Code has no form to keep a working copy from: what readers see stays as it is.
        opts = type(item)._meta
        raise PublishRefused(
            f"You do not have permission to publish {opts.verbose_name_plural}, so you cannot "
            "change what readers see of a live or scheduled one. Nothing was saved: save the "
            "changes as a draft and ask an editor who can publish."
        )
    item.publish_at = change.after.publish_at
    with transaction.atomic():
        with reversion.create_revision():
            item.save()
            if user is not None:
                reversion.set_user(user)
            reversion.set_comment("; ".join(part for part in (change.comment, comment) if part))
        publication_record(item=item, user=user, change=change, how=comment)
    return change


def publication_record(*, item, user, change, how):
    """Tell the review app (its log of who published what, when) about a change readers
    notice; every path that applies the publish rule calls this after saving."""
    if change.effects:
        review_hook().publication_changed(item=item, user=user, change=change, how=how)


def publishable_check_new(*, model, items, user=None, now=None):
    """The rule for rows created in bulk (bulk_create sends no signal and saves no revision):
    stamps publish times as the rule says and raises PublishRefused if any is refused."""
    for item in items:
        change = publishable_change_check(
            model=model, before=None, after=PublishState.of(item), user=user, now=now, item=None
        )
        if not change.allowed:
            raise PublishRefused(change.message)
        item.publish_at = change.after.publish_at


def _bulk(items, *, user, status, how, now):
    now = now or timezone.now()
    changes = []
    for item in items:
        before = PublishState.of(item)
        after = PublishState(status, item.publish_at, item.expire_at)
        change = publishable_change_check(
            model=type(item), before=before, after=after, user=user, now=now, item=item
        )
        if not change.allowed:
            raise PublishRefused(change.message)
        changes.append((item, change))
    with transaction.atomic():
        for item, change in changes:
            if not change.effects:
                continue
            # One revision per item: each item's history names its own action.
            with reversion.create_revision():
                item.status, item.publish_at = change.after.status, change.after.publish_at
                item.save(update_fields=["status", "publish_at", "updated_at"])
                reversion.set_user(user)
                reversion.set_comment(f"{change.comment} ({how})")
            publication_record(item=item, user=user, change=change, how=how)
    return [change for _, change in changes if change.effects]


def publishable_publish(*, items, user, now=None):
    """Publish items: a draft without a time goes live now, a future time stays scheduled.

    Returns the PublishChanges of the items that changed; raises PublishRefused (saving
    nothing) if `user` may not publish them.
    """
    return _bulk(items, user=user, status=Status.PUBLISHED, how="bulk action", now=now)


def publishable_unpublish(*, items, user, now=None):
    """Return items to draft, so readers no longer see them; like publishable_publish."""
    return _bulk(items, user=user, status=Status.DRAFT, how="bulk action", now=now)


def publishable_alert_notes(*, item, change):
    """What listeners (the mailing list) say will follow this change, e.g. who is alerted."""
    if not change.goes_live:
        return []
    replies = going_live_notes.send(
        sender=type(item)._meta.concrete_model,
        instance=item,
        publish_at=change.after.publish_at,
    )
    return [reply for _, reply in replies if reply]


# Not kept in an autosave: the CSRF token and the buttons. The version the form was opened
# at (edit_base) is kept: restored with the typing, it makes a save over a colleague's
# newer one refused (publishing.editing), not silently win.
AUTOSAVE_SKIP = {"csrfmiddlewaretoken", "_publishing", "_preview", "_discard"}


def autosave_store(*, user, model, object_id, post):
    """Keep the form `post` (a QueryDict) as `user`'s autosave of the item; files are not kept."""
    data = {name: post.getlist(name) for name in post if name not in AUTOSAVE_SKIP}
    content_type = ContentType.objects.get_for_model(model)
    autosave, _ = Autosave.objects.update_or_create(
        user=user, content_type=content_type, object_id=object_id, defaults={"data": data}
    )
    return autosave


def autosave_find(*, user, model, object_id):
    content_type = ContentType.objects.get_for_model(model)
    return (
        Autosave.objects.filter(user=user, content_type=content_type, object_id=object_id)
        .order_by("-saved_at")
        .first()
    )


def autosave_discard(*, user, model, object_id):
    content_type = ContentType.objects.get_for_model(model)
    Autosave.objects.filter(user=user, content_type=content_type, object_id=object_id).delete()


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
