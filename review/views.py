"""The expert's page: the item as readers would see it, with a comment box and *Looks right* /
*Needs changes*. Never cached, never indexed; the signed link is its only authority."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from publishing.crossorigin import has_session, public_form
from publishing.services import working_copy_find, working_copy_load
from publishing.views import render_unsaved
from review.expert import expert_answer, expert_link_changed, expert_link_find
from review.services import ReviewRefused


def _plain(request, message, status):
    response = render(request, "review/expert_message.html", {"message": message}, status=status)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@public_form
def expert(request, token):
    if request.method not in ("GET", "HEAD", "POST"):
        return _plain(request, "Open the link from your email.", 405)
    try:
        link = expert_link_find(token)
        if request.method == "POST":
            expert_answer(
                link=link,
                verdict=request.POST.get("verdict", ""),
                comment=request.POST.get("comment", ""),
            )
            return _plain(request, "Thank you: your answer was sent to the editor.", 200)
    except ReviewRefused as refused:
        return _plain(request, str(refused), refused.status)
    expert_context = {
        "answered": link.answered_at is not None,
        "changed": expert_link_changed(link),
        "needs_token": has_session(request),
        "asked_by": link.created_by.get_full_name() or link.created_by.get_username()
        if link.created_by
        else "An editor",
    }
    return render_as_submitted(request, link.item, {"expert": expert_context})


def render_as_submitted(request, item, context):
    """The item's page as readers would see it with what is under review: its unpublished
    changes if it has some, else it as stored. Never cached, never indexed."""
    copy = working_copy_find(item=item)
    if copy is not None:
        ids = working_copy_load(item=item, copy=copy)
    else:
        ids = {
            field.name: list(getattr(item, field.name).values_list("pk", flat=True))
            for field in item._meta.many_to_many
        }
    # "Posted on" shows the date it would get if published now, as the admin's preview does
    # (in memory only: nothing here is saved).
    item.publish_at = item.publish_at or timezone.now().replace(microsecond=0)
    flags = {"preview_changes": True} if copy is not None else {"preview_unsaved": False}
    return render_unsaved(request, item, relation_ids=ids, context={**flags, **context})
