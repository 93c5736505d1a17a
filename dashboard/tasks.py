"""Background tasks of the admin home (django-tasks): stale kept panels made anew."""

from django.contrib.auth import get_user_model
from django_tasks import task

from dashboard import panels as dashboard_panels


@task()
def refresh_dashboard_panels(*, panels, user_id, permissions, query=""):
    """Make the kept panels named in `panels` anew for the permission set `permissions`, as
    the editor `user_id` whose visit found them stale (so they hold what that set may see);
    the next visit shows them. Returns the keys of those made."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return []
    return [key for key in panels if dashboard_panels.refresh(key, user, permissions, query)]
