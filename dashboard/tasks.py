"""Background tasks of the admin home (django-tasks): a stale kept panel made anew."""

from django.contrib.auth import get_user_model
from django_tasks import task

from dashboard import panels


@task()
def refresh_dashboard_panel(*, panel, user_id, permissions, query=""):
    """Make panel `panel` anew for the permission set `permissions`, as the editor `user_id`
    whose visit found it stale (so it holds what that set may see); the next visit shows it."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    return panels.refresh(panel, user, permissions, query)
