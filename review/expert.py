"""Ask an expert: a signed, expiring, revocable link for a reviewer without an account, whose
answer (looks right / needs changes, with a comment) is recorded on the item and emailed to
whoever asked. Nothing here publishes."""

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from outbox.delivery import outbox_enqueue
from publishing.editing import edit_token, editor_name
from publishing.sharing import absolute_url
from review.models import (
    EXPERT_MAX_AGE,
    EXPERT_SALT,
    ExpertLink,
    Review,
    ReviewMail,
    ReviewState,
)
from review.services import ReviewRefused, _change_url, _mail, last_changed_by

VERDICTS = {"agrees": ReviewState.EXPERT_AGREES, "changes": ReviewState.EXPERT_CHANGES}
GONE = "This review link is not valid, has expired or was revoked. Ask the editor for a new one."


def expert_link_create(*, item, user, email):
    """A new link for the outside address `email`, valid for seven days unless revoked; the
    expert is emailed it through the outbox."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ReviewRefused("Give the expert's email address (name@example.org).") from error
    with transaction.atomic():
        link = ExpertLink.objects.create(
            content_type=ContentType.objects.get_for_model(type(item)),
            object_id=item.pk,
            email=email,
            created_by=user,
            expires_at=timezone.now() + EXPERT_MAX_AGE,
            item_token=edit_token(item),
        )
        record = Review.objects.create(
            content_type=link.content_type,
            object_id=item.pk,
            item_title=str(item)[:200],
            state=ReviewState.EXPERT_ASKED,
            submitted_by=user,
            message=f"Asked an expert ({email}) for their view.",
            last_changed_by=last_changed_by(item),
            token=link.item_token,
        )
        url = absolute_url(link.get_absolute_url())
        lines = [
            f"{editor_name(user)} asks for your view of “{record.item_title}” before it is "
            "published.",
            f"Read it and answer here (the link works for 7 days): {url}",
            "Your answer goes to the editor; it does not publish anything.",
        ]
        _mail_to(record, email, f"Your view, please: {record.item_title}", lines)
    return link


def _mail_to(review, address, subject, lines):
    mail = ReviewMail.objects.create(
        review=review, to=address, subject=subject, body="\n\n".join(lines) + "\n"
    )
    outbox_enqueue(mail)


def expert_link_find(token):
    """The usable link named by `token`, or ReviewRefused (404) for a tampered, expired or
    revoked one, or one whose item is gone."""
    try:
        pk = signing.loads(token, salt=EXPERT_SALT, max_age=EXPERT_MAX_AGE)
        link = ExpertLink.objects.select_related("content_type", "created_by").get(pk=pk)
    except (signing.BadSignature, ExpertLink.DoesNotExist) as error:
        raise ReviewRefused(GONE, status=404) from error
    if not link.is_usable or link.item is None:
        raise ReviewRefused(GONE, status=404)
    return link


def expert_link_changed(link):
    """Whether the item changed since the link was made (the page then says so)."""
    return edit_token(link.item) != link.item_token


def expert_answer(*, link, verdict, comment):
    """Record the expert's answer (once) and email it to the editor who asked."""
    comment = (comment or "").strip()
    if verdict not in VERDICTS:
        raise ReviewRefused("Choose Looks right or Needs changes.")
    if verdict == "changes" and not comment:
        raise ReviewRefused("Say what needs changing in the comment box, then press Needs changes.")
    with transaction.atomic():
        locked = ExpertLink.objects.select_for_update().get(pk=link.pk)
        if locked.answered_at is not None:
            raise ReviewRefused("You have already answered through this link: thank you.", 409)
        changed = expert_link_changed(link)
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answered_at"])
        item = link.item
        note = " (about a version changed since the link was sent)" if changed else ""
        review = Review.objects.create(
            content_type=link.content_type,
            object_id=link.object_id,
            item_title=str(item)[:200],
            state=VERDICTS[verdict],
            submitted_by=link.created_by,
            message=f"Expert {link.email} answered{note}.",
            last_changed_by=last_changed_by(item),
            token=edit_token(item),
            decided_at=timezone.now(),
            comment=comment,
        )
        lines = [
            f"{link.email} answered about “{review.item_title}”{note}: "
            f"{review.get_state_display().split(': ', 1)[1]}.",
            *([f"Their comment: {comment}"] if comment else []),
            f"Open it: {_change_url(item)}",
        ]
        _mail(review, link.created_by, f"Expert's answer: {review.item_title}", lines)
    return review


def expert_links_revoke(*, links):
    """Stop links working at once; returns how many were still live."""
    return links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
