"""Editorial flows for news posts."""

from django.utils import timezone

from news.models import PostChange


def post_mark_major_change(*, post, note):
    """Record a major change: readers then see "Last updated" today's date and the note,
    and the note joins the page's list of updates."""
    post.major_change_at = timezone.now()
    post.change_note = note.strip()
    if post.pk is not None:
        PostChange.objects.create(post=post, changed_at=post.major_change_at, note=post.change_note)
