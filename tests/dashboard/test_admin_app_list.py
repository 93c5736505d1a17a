"""The admin's app list, kept per permission set (ktnsite.adminsite): each editor still sees
exactly the models they may use, at once after a permission changes; and the admin home,
panels kept, costs a constant few queries."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from tests.factories import make_post, make_staff, signed_in

pytestmark = pytest.mark.django_db


def listed_models(client, path="/admin/"):
    """The changelist addresses the app list (and the nav sidebar) offers on `path`."""
    html = client.get(path).content.decode()
    return sorted(set(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/)"', html)))


def test_each_editor_sees_exactly_the_models_they_may_use_as_permissions_change():
    from django.test import Client

    news_only = make_staff("nora", perms=["view_post"])
    client = Client()
    client.force_login(news_only)
    assert listed_models(client) == ["/admin/news/post/"]
    # Granted: listed on the next request, though the list for her old rights is kept.
    news_only.user_permissions.add(Permission.objects.get(codename="view_report"))
    assert listed_models(client) == ["/admin/news/post/", "/admin/reports/report/"]
    # Taken away (through her group this time): gone on the next request.
    group = Group.objects.create(name="Readers of events")
    group.permissions.add(Permission.objects.get(codename="view_event"))
    news_only.groups.add(group)
    assert "/admin/events/event/" in listed_models(client)
    group.permissions.clear()
    assert listed_models(client) == ["/admin/news/post/", "/admin/reports/report/"]
    # Another editor with other rights never gets her list, nor she theirs.
    editor = signed_in("eve", groups=["Editors"])
    assert len(listed_models(editor)) > 5
    assert listed_models(client) == ["/admin/news/post/", "/admin/reports/report/"]
    # The app index and the add links follow the same rights.
    assert listed_models(client, "/admin/news/") == ["/admin/news/post/"]
    assert "/admin/news/post/add/" not in client.get("/admin/").content.decode()
    news_only.user_permissions.add(Permission.objects.get(codename="add_post"))
    assert "/admin/news/post/add/" in client.get("/admin/").content.decode()


def test_staff_who_lose_staff_or_are_deactivated_see_no_app_list():
    editor = make_staff("sam", perms=["view_post"])
    from django.test import Client

    client = Client()
    client.force_login(editor)
    assert listed_models(client) == ["/admin/news/post/"]
    editor.is_staff = False
    editor.save()
    assert client.get("/admin/").status_code == 302  # to the login page


def test_the_admin_home_with_its_panels_kept_costs_a_constant_few_queries(
    django_assert_max_num_queries,
):
    client = signed_in("eve", groups=["Editors"])
    client.get("/admin/")
    # The session, the user, their permissions (2), the scheduler's overdue jobs, the review
    # counts (2), the calendar strip (1), late enquiries, broken apply links, findings (2),
    # dead letters (1), recent actions: every live panel one query at most.
    with django_assert_max_num_queries(14) as kept:
        client.get("/admin/")
    for n in range(5):
        make_post(title=f"Post {n}")
    with django_assert_max_num_queries(len(kept.captured_queries)):
        client.get("/admin/")
