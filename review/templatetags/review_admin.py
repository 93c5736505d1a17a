"""The admin home's review counts: waiting for my review, sent back to me, published without
review, overdue; each a link to the reviews list filtered to it. And the comments about one
field of a change form (notes_on), shown beside it."""

from django import template
from django.urls import reverse

from review.admin import sent_back_to, visible_reviews, waiting_for
from review.models import ReviewState

register = template.Library()


@register.inclusion_tag("review/admin/home_counts.html", takes_context=True)
def review_counts(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("review.view_review"):
        return {"rows": []}
    from django.utils import timezone

    visible = visible_reviews(user)
    url = reverse("admin:review_review_changelist")
    counts = [
        ("mine", "Waiting for my review", waiting_for(user).count()),
        ("sent_back", "Sent back to me", sent_back_to(user).count()),
        ("unreviewed", "Published without review",
         visible.filter(state=ReviewState.UNREVIEWED).count()),
        ("overdue", "Overdue reviews", visible.filter(
            state=ReviewState.IN_REVIEW, due_on__lt=timezone.localdate()).count()),
    ]  # fmt: skip
    return {"rows": [(f"{url}?which={key}", label, n) for key, label, n in counts]}


@register.filter
def notes_on(comments_by_field, name):
    """The comments about field `name` (review.hook puts them by field in the form's context)."""
    return (comments_by_field or {}).get(name, [])
