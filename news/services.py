"""Editorial flows for news posts."""

from django.utils import timezone


def post_mark_major_change(*, post, note):
    """Record a major change: readers then see "Updated on" today's date and the note."""
    post.major_change_at = timezone.now()
    post.change_note = note.strip()
