"""The admin site: Django's, with each editor's app list kept per permission set.

Every admin page builds the app list (the nav sidebar; the admin home twice): for each of
about eighty registered models, its admin's permission checks and two or three `reverse()`s.
On the admin home that was a third of the request's Python time. What it yields depends only
on what the editor may do (their permissions, is_active, is_staff, is_superuser: every
`has_*_permission` of ours asks nothing else when no object is given), on the registered
models and on the URLs, so it is kept in this process's memory keyed by:

- the editor's permission set (`dashboard.panels.permission_set`: a hash of their
  permissions, read from the database on each request as before), so a permission granted or
  taken away takes effect on the next request, exactly as without the cache;
- is_active, is_staff, the app label (the app index), the URL prefix, urlconf and language;
- the process itself: models are registered, and URLs change, only on a deploy, which starts
  new processes. `register()`/`unregister()` (and any setting changed in a test) clear it.

Nothing about one editor is kept beyond what every editor with the same rights sees.
"""

import threading
from collections import OrderedDict

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

# Permission sets in use at once are few (a handful of roles); a bound keeps a flood of
# distinct ones (many per-user grants) from growing the memory without end.
KEPT = 256


def _copy_app(app):
    models = [{**model, "perms": dict(model["perms"])} for model in app["models"]]
    return {**app, "models": models}


class SiteAdminConfig(AdminConfig):
    """`django.contrib.admin`, whose default site is `AdminSite` below."""

    default_site = "ktnsite.adminsite.AdminSite"


class AdminSite(admin.AdminSite):
    """Django's admin site; `_build_app_dict` and `get_app_list` kept per permission set."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept = OrderedDict()
        self._kept_lock = threading.Lock()
        setting_changed.connect(self._forget_app_lists, weak=False)

    def _forget_app_lists(self, **kwargs):
        with self._kept_lock:
            self._kept.clear()

    def register(self, *args, **kwargs):
        super().register(*args, **kwargs)
        self._forget_app_lists()

    def unregister(self, *args, **kwargs):
        super().unregister(*args, **kwargs)
        self._forget_app_lists()

    def _key(self, request, what, label):
        from dashboard.panels import permission_set

        user = request.user
        return (
            what,
            label,
            permission_set(user),
            user.is_active,
            user.is_staff,
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,
            get_language(),
        )

    def _kept_or_built(self, request, what, label, build):
        if getattr(settings, "ADMIN_APP_LIST_KEPT", True) is False:
            return build()
        key = self._key(request, what, label)
        with self._kept_lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is None:
            kept = build()
            with self._kept_lock:
                self._kept[key] = kept
                while len(self._kept) > KEPT:
                    self._kept.popitem(last=False)
        # A copy: get_app_list sorts the models of what _build_app_dict gives, and a caller may
        # change what it is given; a deepcopy would cost as much as building anew.
        if isinstance(kept, dict):
            return {label: _copy_app(app) for label, app in kept.items()}
        return [_copy_app(app) for app in kept]

    def _build_app_dict(self, request, label=None):
        return self._kept_or_built(
            request, "dict", label, lambda: super(AdminSite, self)._build_app_dict(request, label)
        )

    def get_app_list(self, request, app_label=None):
        return self._kept_or_built(
            request,
            "list",
            app_label,
            lambda: super(AdminSite, self).get_app_list(request, app_label),
        )
