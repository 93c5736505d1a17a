"""Two saves of one form at the same instant, on PostgreSQL: the row lock makes one wait for
the other, which then finds the item changed, so exactly one is stored."""

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from ktnsite.roles import editors_group_sync
from news.models import Post
from tests.contacts.test_concurrency import race
from tests.factories import form_values, make_post, make_staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrency needs real row locking: runs when DATABASE_URL is PostgreSQL.",
    ),
]


def test_two_editors_saving_the_same_opened_version_at_once_store_one_save():
    # A transactional test before this one may have emptied every table, the Editors group
    # made by a migration too: make it again, as the migration does.
    editors_group_sync(apps)
    post = make_post(standfirst="As opened.")
    url = reverse("admin:news_post_change", args=[post.pk])
    clients = []
    for name in ("erin", "amir", "kim"):
        client = Client()
        client.force_login(make_staff(name, groups=["Editors"]))
        clients.append((name, client, form_values(client.get(url))))

    def save(index):
        name, client, form = clients[index]
        data = {**form, "standfirst": f"{name}'s words.", "_publishing": "keep"}
        return client.post(url, data).status_code

    counter = iter(range(3))
    statuses = race(lambda: save(next(counter)), count=3)
    assert sorted(statuses) == [200, 200, 302]  # one stored, two refused with a compare
    stored = Post.objects.get(pk=post.pk).standfirst
    assert stored in {f"{name}'s words." for name, _, _ in clients}
