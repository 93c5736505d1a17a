"""The admin home's review counts: waiting for my review, sent back to me, published without
review, overdue; each a link to the reviews list filtered to it. And the comments about one
field of a change form (notes_on), shown beside it."""

from django import template
from django.db.models import Count, Q
from django.urls import reverse

from review.admin import reviewable_types, sent_back_to, waiting_for
from review.models import Review, ReviewState

register = template.Library()


@register.inclusion_tag("review/admin/home_counts.html", takes_context=True)
def review_counts(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("review.view_review"):
        return {"rows": []}
    from django.utils import timezone

    # One query for the four counts (and one for the types `user` may review), not one each:
    # the admin home runs it on every visit.
    types = reviewable_types(user)
    mine = waiting_for(user, types=types).values("pk")
    sent_back = sent_back_to(user).values("pk")
    visible = Q(content_type__in=types) | Q(submitted_by=user)
    found = Review.objects.aggregate(
        mine=Count("pk", filter=Q(pk__in=mine)),
        sent_back=Count("pk", filter=Q(pk__in=sent_back)),
        unreviewed=Count("pk", filter=visible & Q(state=ReviewState.UNREVIEWED)),
        overdue=Count(
            "pk",
            filter=visible & Q(state=ReviewState.IN_REVIEW, due_on__lt=timezone.localdate()),
        ),
    )
    url = reverse("admin:review_review_changelist")
    counts = [
        ("mine", "Waiting for my review", found["mine"]),
        ("sent_back", "Sent back to me", found["sent_back"]),
        ("unreviewed", "Published without review", found["unreviewed"]),
        ("overdue", "Overdue reviews", found["overdue"]),
    ]
    return {"rows": [(f"{url}?which={key}", label, n) for key, label, n in counts]}


@register.filter
def notes_on(comments_by_field, name):
    """The comments about field `name` (review.hook puts them by field in the form's context)."""
    return (comments_by_field or {}).get(name, [])
