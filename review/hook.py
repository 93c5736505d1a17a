"""The review hook the publishing admin asks (publishing.review_hook): the "In review" label,
the frozen form, the review panel above every publishable item's form and its buttons."""

from datetime import date

from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from publishing.editing import edit_token, editor_name
from publishing.models import PublishState
from publishing.review_hook import ReviewHook
from publishing.services import may_publish, readers_see, when_text
from review.comments import (
    comment_add,
    comment_fields,
    comment_resolve,
    comments_of,
    may_comment,
    row_id,
)
from review.expert import expert_link_create
from review.models import OPEN_STATES, Review, ReviewState
from review.services import (
    FORCE_PERMISSION,
    ReviewRefused,
    decisions_of,
    in_review,
    open_review,
    publication_log,
    review_approve,
    review_check_after,
    review_publish_without_review,
    review_refusal,
    review_send_back,
    review_submit,
    review_withdraw,
    reviewers_for,
    reviews_of,
    two_person_refusal,
)
from review.views import render_as_submitted

# What a row's open review adds to its status in admin lists.
LIST_LABELS = {
    ReviewState.IN_REVIEW: "In review",
    ReviewState.UNREVIEWED: "Published without review",
}
# The panel's buttons post _review=<action> to the item's review address.
ACTIONS = {"submit", "withdraw", "approve", "approve_publish", "send_back", "force",
           "check_after", "check_unpublish", "expert", "comment", "resolve"}  # fmt: skip


class AdminReviewHook(ReviewHook):
    def list_annotate(self, queryset):
        state = Review.objects.filter(
            content_type=ContentType.objects.get_for_model(queryset.model),
            object_id=OuterRef("pk"),
            state__in=OPEN_STATES,
        ).values("state")[:1]
        return queryset.annotate(review_open_state=Subquery(state))

    def list_label(self, obj):
        return LIST_LABELS.get(getattr(obj, "review_open_state", None), "")

    def _open_review(self, request, obj):
        """The item's open review, read once per request (frozen() and the form both ask)."""
        cache = request.__dict__.setdefault("_review_open", {})
        key = (obj._meta.label, obj.pk)
        if key not in cache:
            cache[key] = open_review(obj)
        return cache[key]

    def frozen(self, request, obj):
        # Asked many times per request (every has_change_permission): one query per item.
        cache = request.__dict__.setdefault("_review_frozen", {})
        key = (obj._meta.label, obj.pk)
        if key not in cache:
            review = self._open_review(request, obj)
            if review is not None and review.state != ReviewState.IN_REVIEW:
                review = None
            cache[key] = (
                f"In review since {when_text(review.submitted_at)}: its content is frozen until "
                "it is approved, sent back or withdrawn."
                if review
                else ""
            )
        return cache[key]

    def form_context(self, request, model_admin, obj, *, token=None):
        if obj is None or obj.pk is None:
            return {}
        opts = model_admin.model._meta
        review = self._open_review(request, obj)
        latest = decisions_of(obj).first()
        user = request.user
        context = {
            "review_template": "review/admin/panel.html",
            "review": review,
            "review_latest": latest,
            "review_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_review", args=[obj.pk]
            ),
            "review_token": token or edit_token(obj),
            "review_preview_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_review_preview", args=[obj.pk]
            ),
            "review_may_force": user.has_perm(FORCE_PERMISSION)
            and may_publish(user=user, model=model_admin.model),
            "review_verbose_name": opts.verbose_name,
        }
        if review is None:
            # A live item without unpublished changes has nothing new to check or publish.
            live = readers_see(PublishState.of(obj))
            news = not live or getattr(obj, "working_copy", None) is not None
            context["review_has_news"] = news
            context["review_can_submit"] = news and model_admin.has_change_permission(request, obj)
            context["review_reviewers"] = reviewers_for(model_admin.model, exclude=[user])
            context["review_today"] = timezone.localdate().isoformat()
        else:
            context["review_has_news"] = True
            context["review_refusal"] = review_refusal(review=review, user=user)
            context["review_is_writer"] = user.pk == review.submitted_by_id
            context["review_submitted_by"] = (
                editor_name(review.submitted_by) if review.submitted_by else "someone"
            )
            context["review_when"] = when_text(review.submitted_at)
            future = obj.publish_at and obj.publish_at > timezone.now()
            context["review_publish_label"] = (
                f"Approve and schedule for {when_text(obj.publish_at)}"
                if future
                else "Approve and publish"
            )
        context.update(_comments_context(request, model_admin, obj))
        if latest is not None and latest.state == ReviewState.SENT_BACK:
            context["review_sent_back_by"] = (
                editor_name(latest.decided_by) if latest.decided_by else "someone"
            )
            context["review_sent_back_when"] = when_text(latest.decided_at)
        return context

    def publish_refusal(self, *, model, item, user, content_changed):
        return two_person_refusal(
            model=model, item=item, user=user, content_changed=content_changed
        )

    def publication_changed(self, *, item, user, change, how):
        publication_log(item=item, user=user, change=change, how=how)

    def history_context(self, request, model_admin, obj):
        labels = dict(comment_fields(model_admin.model))
        comments = list(comments_of(obj))
        for comment in comments:
            comment.field_label = labels.get(comment.field, "")
        return {
            "review_history_template": "review/admin/history.html",
            "review_record": list(reviews_of(obj)),
            "review_comments": comments,
        }

    def urls(self, model_admin):
        opts = model_admin.model._meta

        def view(request, object_id):
            return review_view(model_admin, request, object_id)

        def preview(request, object_id):
            obj = model_admin.model._default_manager.filter(pk=unquote(object_id)).first()
            if obj is None:
                raise Http404("No such item.")
            if not model_admin.has_view_permission(request, obj):
                raise PermissionDenied
            return render_as_submitted(request, obj, {"review_preview": True})

        return [
            path(
                "<path:object_id>/review/reading/",
                model_admin.admin_site.admin_view(preview),
                name=f"{opts.app_label}_{opts.model_name}_review_preview",
            ),
            path(
                "<path:object_id>/review/",
                model_admin.admin_site.admin_view(view),
                name=f"{opts.app_label}_{opts.model_name}_review",
            ),
        ]


def _comments_context(request, model_admin, obj):
    """The item's comments: those about a field on the form are shown beside that field
    (review/admin/field_comments.html, open and resolved) and describe its input; the rest,
    and a line for each open one beside a field, in the panel."""
    labels = dict(comment_fields(model_admin.model))
    on_form = set(flatten_fieldsets(model_admin.get_fieldsets(request, obj)))
    comments = list(comments_of(obj))
    beside = {}
    for comment in comments:
        comment.field_label = labels.get(comment.field, "")
        if comment.field in on_form:
            comment.beside = True
            notes = beside.setdefault(
                comment.field, {"label": comment.field_label, "open": [], "resolved": []}
            )
            notes["resolved" if comment.resolved_at else "open"].append(comment)
    open_ = [c for c in comments if c.resolved_at is None]
    described = {
        name: [f"review-notes-{name}-title"]
        + [f"review-comment-{c.pk}-text" for c in notes["open"]]
        for name, notes in beside.items()
    }
    return {
        "review_comments": open_,
        "review_resolved_count": len(comments) - len(open_),
        "review_comment_fields": list(labels.items()),
        "review_may_comment": may_comment(user=request.user, model=model_admin.model),
        "review_field_comments": beside,
        "field_notes_template": "review/admin/field_comments.html",
        "field_described_by": described,
    }


def _refused(model_admin, request, obj, refused):
    """The refusal as a page with a 4xx status: what was refused and the way back."""
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "object": obj,
        "title": "Nothing was changed",
        "message": str(refused),
        "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(
        request, "review/admin/refused.html", context, status=getattr(refused, "status", 400)
    )


def _due(text):
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ReviewRefused("The due date is not a date (yyyy-mm-dd).") from error


def _reviewer(model_admin, text):
    if not text:
        return None
    found = get_user_model().objects.filter(pk=row_id(text)).first()
    if found is None:
        raise ReviewRefused("There is no such reviewer: choose one from the list.")
    return found


def review_view(model_admin, request, object_id):
    """Every review button of an item's form posts here with _review=<action> (POST only)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    obj = model_admin.model._default_manager.filter(pk=unquote(object_id)).first()
    if obj is None:
        raise Http404("No such item.")
    if not model_admin.has_view_permission(request, obj):
        raise PermissionDenied
    action = request.POST.get("_review", "")
    post = request.POST
    try:
        if action not in ACTIONS:
            raise ReviewRefused("Unknown review action.")
        text = _act(model_admin, request, obj, action, post)
    except ReviewRefused as refused:
        return _refused(model_admin, request, obj, refused)
    model_admin.log_change(request, obj, text)
    model_admin.message_user(request, text, messages.SUCCESS)
    opts = model_admin.model._meta
    return HttpResponseRedirect(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )


def _the_review(obj, post, states):
    review = reviews_of(obj).filter(pk=row_id(post.get("review")), state__in=states).first()
    if review is None:
        raise ReviewRefused("This review is no longer open: reload the page.", status=409)
    return review


def _act(model_admin, request, obj, action, post):
    user = request.user
    if action == "submit":
        if in_review(obj):
            raise ReviewRefused(f"This {obj._meta.verbose_name} is already in review.", 409)
        # The writer's right to change it: the admin's own.
        if not model_admin.has_change_permission(request, obj):
            raise ReviewRefused("You cannot change this item, so you cannot submit it.", 403)
        review_submit(
            item=obj,
            user=user,
            reviewer=_reviewer(model_admin, post.get("reviewer", "")),
            due_on=_due(post.get("due_on", "")),
            message=post.get("message", ""),
        )
        return "Submitted for review: its content is frozen until it is approved or sent back."
    if action == "comment":
        comment_add(item=obj, user=user, text=post.get("text", ""), field=post.get("field", ""))
        return "Comment added."
    if action == "resolve":
        comment_resolve(item=obj, user=user, comment_id=post.get("comment_id", ""))
        return "Comment resolved."
    if action == "expert":
        if not model_admin.has_view_permission(request, obj) or not user.has_perm(
            f"{obj._meta.app_label}.change_{obj._meta.model_name}"
        ):
            raise ReviewRefused("You cannot change this item, so you cannot ask an expert.", 403)
        link = expert_link_create(item=obj, user=user, email=post.get("email", ""))
        return (
            f"Asked {link.email} for their view: they were emailed a link that works until "
            f"{when_text(link.expires_at)} (revoke it under Expert links)."
        )
    if action == "force":
        review_publish_without_review(item=obj, user=user, reason=post.get("reason", ""))
        return "Published without review: it is flagged until someone else checks it."
    if action in ("check_after", "check_unpublish"):
        review = _the_review(obj, post, (ReviewState.UNREVIEWED,))
        unpublish = action == "check_unpublish"
        review_check_after(
            review=review, user=user, comment=post.get("comment", ""), unpublish=unpublish
        )
        return "Sent back and unpublished." if unpublish else "Checked: the flag is removed."
    review = _the_review(obj, post, (ReviewState.IN_REVIEW,))
    if action == "withdraw":
        review_withdraw(review=review, user=user)
        return "Withdrawn from review: you can edit it again."
    if action == "send_back":
        review_send_back(review=review, user=user, reason=post.get("comment", ""))
        return "Sent back to the writer with your reason."
    _, outcome = review_approve(
        review=review,
        user=user,
        token=post.get("token", ""),
        comment=post.get("comment", ""),
        publish=action == "approve_publish",
    )
    return f"{outcome}."
