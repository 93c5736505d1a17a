"""Review flows for every publishable model: submit, withdraw, approve (and publish or
schedule through the one publish rule), send back, publish without review, check afterwards.

Every rule is enforced here, not only in the admin's templates: a post to a review address
by someone without the right is refused the same way as a button they were never shown.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from outbox.delivery import outbox_enqueue
from publishing.editing import edit_token, editor_name
from publishing.models import PublishState, Status
from publishing.services import (
    Effect,
    PublishRefused,
    may_publish,
    publishable_save,
    publishable_unpublish,
    readers_see,
    when_text,
    working_copy_apply,
    working_copy_find,
)
from publishing.sharing import absolute_url
from review.models import LOG_STATES, OPEN_STATES, Review, ReviewMail, ReviewState

FORCE_PERMISSION = "review.publish_without_review"


class ReviewRefused(Exception):
    """A review action the user may not take, or bad input; `str()` says why, nothing changed.
    `status` is the HTTP status a view answers with (403: no right; 400: bad input; 409: the
    item or review changed meanwhile)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def _ct(item):
    return ContentType.objects.get_for_model(type(item))


def reviews_of(item):
    """The item's reviews, newest first, with their people."""
    return Review.objects.filter(content_type=_ct(item), object_id=item.pk).select_related(
        "submitted_by", "reviewer", "decided_by", "last_changed_by"
    )


def decisions_of(item):
    """The item's review rounds and answers, newest first, without the publication record."""
    return reviews_of(item).exclude(state__in=LOG_STATES)


def open_review(item):
    """The item's review still asking something (in review, or published without review)."""
    return reviews_of(item).filter(state__in=OPEN_STATES).first()


def in_review(item):
    return reviews_of(item).filter(state=ReviewState.IN_REVIEW).exists()


def last_changed_by(item):
    """Who last changed the item's content: the author of its unpublished changes, else of
    its latest version in the history (None: the system or nobody known)."""
    copy = working_copy_find(item=item)
    if copy is not None:
        return copy.saved_by
    version = (
        Version.objects.get_for_object(item).select_related("revision__user").order_by("-pk")
    ).first()
    return version.revision.user if version else None


def _latest_version_id(item):
    return Version.objects.get_for_object(item).order_by("-pk").values_list("pk", flat=True).first()


def reviewers_for(model, *, exclude=()):
    """Active users who may review items of `model` (its publish right), by name."""
    opts = model._meta.concrete_model._meta
    users = get_user_model().objects.with_perm(
        f"{opts.app_label}.publish_{opts.model_name}",
        include_superusers=True,
        backend="django.contrib.auth.backends.ModelBackend",
    )
    return [
        user
        for user in users.filter(is_active=True, is_staff=True).order_by("username")
        if user not in exclude
    ]


def review_refusal(*, review, user):
    """Why `user` may not decide `review` ("" if they may): the publish right for the model,
    and not being the one who submitted it or last changed it."""
    model = review.content_type.model_class()
    if not may_publish(user=user, model=model):
        return (
            f"You do not have permission to publish {model._meta.verbose_name_plural}, so you "
            "cannot review this. Nothing was changed."
        )
    if user is not None and user.pk in {review.submitted_by_id, review.last_changed_by_id}:
        return (
            "You are not the second set of eyes: you submitted or last changed this "
            f"{model._meta.verbose_name}. Another editor who can publish must review it."
        )
    return ""


def review_required(model):
    """Whether the REVIEW_REQUIRED setting (model labels, "news.post") names `model`."""
    return model._meta.concrete_model._meta.label_lower in {
        label.lower() for label in getattr(settings, "REVIEW_REQUIRED", ())
    }


def two_person_refusal(*, model, item, user, content_changed=False):
    """The two-person rule, asked by the publish rule when `user` would put `item`'s content
    before readers. An item in review is never published but by its approval. With
    REVIEW_REQUIRED naming the model, going live takes an approval of the item
    as it is now by someone else, and never the author of its last change; or a
    publication without review, with its reason, under way. "" when allowed."""
    name = model._meta.verbose_name
    if item is not None and item.pk is not None and in_review(item):
        # Frozen on every path, not only its form: a bulk action or code publishing it
        # would bypass the reviewer (approving publishes through here once it is decided).
        return (
            f"This {name} is in review. Nothing was published: a reviewer approves it on its "
            "form (Approve and publish), or it is withdrawn from review first."
        )
    if not review_required(model):
        return ""
    ask = (
        f"Every {name} needs a second person's approval before it goes live on this site. "
        "Nothing was published: save it as a draft (or your changes as a draft) and submit it "
        "for review."
    )
    if item is None or item.pk is None:
        return ask
    if content_changed:
        return (
            f"Your edits to this {name} need a second person's approval too. Nothing was "
            "published: save them as a draft and submit them for review."
        )
    current = reviews_of(item).filter(token=edit_token(item))
    if current.filter(state=ReviewState.UNREVIEWED, submitted_by=user).exists():
        return ""  # publishing without review, with a reason (review_publish_without_review)
    approval = current.filter(state=ReviewState.APPROVED).first()
    if approval is None:
        if reviews_of(item).filter(state=ReviewState.APPROVED).exists():
            return (
                f"This {name} changed after it was approved, so it needs approving again. "
                "Nothing was published: submit it for review."
            )
        return ask
    author = last_changed_by(item)
    if user.pk in {approval.submitted_by_id, getattr(author, "pk", None)}:
        return (
            "You are not the second set of eyes: you submitted or last changed this "
            f"{name}, so someone else must publish it."
        )
    return ""


# True while a review action publishes or unpublishes: its own row (approved and published,
# published without review, sent back and unpublished) already records it.
_recorded_by_review = ContextVar("recorded_by_review", default=False)


@contextmanager
def _review_records_it():
    marker = _recorded_by_review.set(True)
    try:
        yield
    finally:
        _recorded_by_review.reset(marker)


HOW_WORDS = {"form": "on its form", "restore": "restoring an old version",
             "recover": "recovering it from History", "bulk action": "bulk action"}  # fmt: skip


def publication_log(*, item, user, change, how=""):
    """Record a change to what readers see of `item` in the review log (who, when, what), so
    the log is complete with review on or off; `user` None is the system (commands, imports).
    Returns the row, or None when a review action's own row records it."""
    if _recorded_by_review.get() or not change.effects:
        return None
    now = timezone.now()
    effects, after = set(change.effects), change.after
    if effects & {Effect.UNPUBLISH, Effect.CANCEL}:
        state = ReviewState.UNPUBLISHED
    elif after.is_scheduled(now):
        state = ReviewState.SCHEDULED
    elif after.is_live(now) and (
        not change.before.is_live(now) or Effect.PUBLISH_CHANGES in effects
    ):
        state = ReviewState.PUBLISHED
    else:
        state = ReviewState.TIMES_CHANGED
    way = HOW_WORDS.get(how, how)
    return Review.objects.create(
        content_type=_ct(item),
        object_id=item.pk,
        item_title=str(item)[:200],
        state=state,
        submitted_by=user,
        message=f"{change.comment} ({way})" if way else change.comment,
        published=state in (ReviewState.PUBLISHED, ReviewState.SCHEDULED),
    )


def _change_url(item):
    opts = item._meta
    return absolute_url(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk]))


def _mail(review, user, subject, lines):
    if user is None or not user.email:
        return
    mail = ReviewMail.objects.create(
        review=review, to=user.email, subject=subject, body="\n\n".join(lines) + "\n"
    )
    outbox_enqueue(mail)


def review_submit(*, item, user, reviewer=None, due_on=None, message=""):
    """Ask for a second pair of eyes on `item`; returns the new Review.

    For an item readers see (live or scheduled), what is submitted is its unpublished changes,
    which must exist. The named `reviewer`, or everyone who may review when none is named, is
    emailed. Raises ReviewRefused, changing nothing.
    """
    model = type(item)
    name = model._meta.verbose_name
    if in_review(item):
        raise ReviewRefused(f"This {name} is already in review.", status=409)
    of_changes = readers_see(PublishState.of(item))
    if of_changes and working_copy_find(item=item) is None:
        raise ReviewRefused(
            f"Readers already see this {name} as it is: there is nothing new to review. Edit it, "
            "press Save changes as draft, then submit those changes."
        )
    if reviewer is not None:
        if reviewer == user:
            raise ReviewRefused(
                "Name someone else as the reviewer: you cannot review your own work."
            )
        if not may_publish(user=reviewer, model=model):
            raise ReviewRefused(
                f"{editor_name(reviewer)} cannot publish {model._meta.verbose_name_plural}, so "
                "cannot review this: name someone who can, or leave it to any of them."
            )
    try:
        with transaction.atomic():
            review = Review.objects.create(
                content_type=_ct(item),
                object_id=item.pk,
                item_title=str(item)[:200],
                submitted_by=user,
                reviewer=reviewer,
                due_on=due_on,
                message=message.strip(),
                of_changes=of_changes,
                last_changed_by=last_changed_by(item),
                version_id=_latest_version_id(item),
                token=edit_token(item),
            )
    except IntegrityError as error:  # a second submit raced this one
        raise ReviewRefused(f"This {name} is already in review.", status=409) from error
    due = f" by {due_on:%d/%m/%Y}" if due_on else ""
    lines = [
        f"{editor_name(user)} asks you to review the {name} “{review.item_title}”{due}.",
        *([f"Their note: {review.message}"] if review.message else []),
        f"Open it: {_change_url(item)}",
    ]
    to = [reviewer] if reviewer is not None else reviewers_for(model, exclude=[user])
    for person in to:
        _mail(review, person, f"Please review: {review.item_title}", lines)
    return review


def _open(review, user, *, states=(ReviewState.IN_REVIEW,)):
    """The review, locked, still in one of `states`; else ReviewRefused."""
    locked = Review.objects.select_for_update().filter(pk=review.pk).first()
    if locked is None or locked.state not in states:
        state = locked.get_state_display().lower() if locked else "gone"
        raise ReviewRefused(f"This review is no longer open (it is {state}).", status=409)
    return locked


def review_withdraw(*, review, user):
    """The writer takes the item back out of review (or a publisher does it for them)."""
    with transaction.atomic():
        review = _open(review, user)
        model = review.content_type.model_class()
        if user.pk != review.submitted_by_id and not may_publish(user=user, model=model):
            raise ReviewRefused(
                "Only the editor who submitted it, or one who can publish, can withdraw it.",
                status=403,
            )
        review.state = ReviewState.WITHDRAWN
        review.decided_by, review.decided_at = user, timezone.now()
        review.save()
    return review


def _publish(item, user, comment, *, of_changes):
    """Put the item before readers (or schedule it) through the one publish rule."""
    try:
        with _review_records_it():
            if of_changes:
                return working_copy_apply(item=item, user=user, comment=comment)
            item.status = Status.PUBLISHED
            return publishable_save(item=item, user=user, comment=comment)
    except PublishRefused as refused:
        raise ReviewRefused(str(refused), status=403) from refused


def review_approve(*, review, user, token, comment="", publish=False):
    """Approve `review`; with `publish`, publish it in the same step (or schedule it, when its
    publish time is in the future), through the publish rule. `token` is the item's edit token
    the reviewer saw: a version changed since is refused. Emails the writer."""
    with transaction.atomic():
        review = _open(review, user)
        refusal = review_refusal(review=review, user=user)
        if refusal:
            raise ReviewRefused(refusal, status=403)
        item = review.item
        if item is None:
            raise ReviewRefused("The item was deleted.", status=409)
        if token != edit_token(item, lock=True):
            raise ReviewRefused(
                "It changed after you opened it: nothing was approved. Look at it again, as it "
                "is now, before approving.",
                status=409,
            )
        # Recorded first, as of the version approved: the publish rule's two-person check
        # (two_person_refusal) then finds the approval.
        review.state, review.token = ReviewState.APPROVED, token
        review.decided_by, review.decided_at = user, timezone.now()
        review.comment, review.published = comment.strip(), publish
        review.save()
        outcome = "Approved"
        if publish:
            change = _publish(
                item, user, f"Approved by {editor_name(user)}", of_changes=review.of_changes
            )
            when = change.after.publish_at if change else None
            if when and when > timezone.now():
                outcome = f"Approved and scheduled for {when_text(when)}"
            else:
                outcome = "Approved and published"
        lines = [
            f"{editor_name(user)}: {outcome.lower()} — “{review.item_title}”.",
            *([f"Their comment: {review.comment}"] if review.comment else []),
            f"Open it: {_change_url(item)}",
        ]
        _mail(review, review.submitted_by, f"{outcome}: {review.item_title}", lines)
    return review, outcome


def review_send_back(*, review, user, reason):
    """Return the item to its writer with a reason (required); emails them the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewRefused("Say what needs changing: sending back needs a reason.")
    with transaction.atomic():
        review = _open(review, user)
        refusal = review_refusal(review=review, user=user)
        if refusal:
            raise ReviewRefused(refusal, status=403)
        review.state = ReviewState.SENT_BACK
        review.decided_by, review.decided_at, review.comment = user, timezone.now(), reason
        review.save()
        item = review.item
        lines = [
            f"{editor_name(user)} sent “{review.item_title}” back to you.",
            f"What needs changing: {reason}",
            *([f"Open it: {_change_url(item)}"] if item is not None else []),
        ]
        _mail(review, review.submitted_by, f"Sent back: {review.item_title}", lines)
    return review


def review_publish_without_review(*, item, user, reason):
    """Break glass: publish (or schedule) `item` without a second person, with a reason.
    Needs "Can publish without review" and the publish right; the item is flagged
    "Published without review" until someone else checks it afterwards."""
    reason = (reason or "").strip()
    if not user.has_perm(FORCE_PERMISSION):
        raise ReviewRefused("You do not have permission to publish without review.", status=403)
    if not reason:
        raise ReviewRefused("Give the reason for publishing without review: it is kept.")
    with transaction.atomic():
        pending = reviews_of(item).select_for_update().filter(state=ReviewState.IN_REVIEW)
        pending.update(
            state=ReviewState.WITHDRAWN,
            decided_by=user,
            decided_at=timezone.now(),
            comment="Published without review",
        )
        of_changes = readers_see(PublishState.of(item)) and working_copy_find(item=item) is not None
        review = Review.objects.create(
            content_type=_ct(item),
            object_id=item.pk,
            item_title=str(item)[:200],
            state=ReviewState.UNREVIEWED,
            submitted_by=user,
            message=reason,
            of_changes=of_changes,
            last_changed_by=last_changed_by(item),
            version_id=_latest_version_id(item),
            token=edit_token(item),
            published=True,
        )
        _publish(item, user, f"Published without review: {reason}", of_changes=of_changes)
    return review


def review_check_after(*, review, user, comment="", unpublish=False):
    """Someone else checks an item published without review: approve it (the flag goes), or
    send it back and unpublish it (a reason is then required)."""
    comment = (comment or "").strip()
    if unpublish and not comment:
        raise ReviewRefused("Say what needs changing: sending back needs a reason.")
    with transaction.atomic():
        review = _open(review, user, states=(ReviewState.UNREVIEWED,))
        refusal = review_refusal(review=review, user=user)
        if refusal:
            raise ReviewRefused(refusal, status=403)
        item = review.item
        if unpublish and item is not None:
            try:
                with _review_records_it():
                    publishable_unpublish(items=[item], user=user)
            except PublishRefused as refused:
                raise ReviewRefused(str(refused), status=403) from refused
        review.state = ReviewState.SENT_BACK if unpublish else ReviewState.CHECKED_AFTER
        review.decided_by, review.decided_at, review.comment = user, timezone.now(), comment
        review.save()
        if unpublish:
            lines = [
                f"{editor_name(user)} checked “{review.item_title}”, which you published "
                "without review, and unpublished it.",
                f"What needs changing: {comment}",
            ]
            _mail(review, review.submitted_by, f"Unpublished: {review.item_title}", lines)
    return review
