"""The publish rule on every path: who may make an item live, take it down or move its times.

Each path is tried by a writer (may add and change posts, no "Can publish") and a publisher
(the Editors group). Afterwards a reader's request for the page says 404, 200 or 410, the
stored row says the same, and a refused writer is told why.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from news.models import Post
from publishing.models import PublishState, Status
from publishing.services import (
    PublishRefused,
    publishable_change_check,
    publishable_save,
)
from tests.factories import admin_post_data, form_values, make_post, make_report, make_staff

pytestmark = pytest.mark.django_db

REFUSED = "You do not have permission to publish posts"
ROLES = ["writer", "publisher"]


@pytest.fixture
def users():
    return {
        "writer": make_staff(
            "writer", perms=["add_post", "change_post", "view_post", "delete_post"]
        ),
        "publisher": make_staff("publisher", groups=["Editors"]),
    }


def reader_sees(post):
    """The status code a reader without a login gets for the post's page."""
    return Client().get(post.get_absolute_url()).status_code


def change(client, post, **fields):
    return client.post(
        reverse("admin:news_post_change", args=[post.pk]),
        admin_post_data(post, **fields),
        follow=True,
    )


def page_text(response):
    return response.content.decode()


def when(moment):
    local = timezone.localtime(moment)
    return {"publish_at_0": f"{local:%d/%m/%Y}", "publish_at_1": f"{local:%H:%M:%S}"}


def expire(moment):
    local = timezone.localtime(moment)
    return {"expire_at_0": f"{local:%d/%m/%Y}", "expire_at_1": f"{local:%H:%M:%S}"}


# --- the add and change forms ------------------------------------------------------------


@pytest.mark.parametrize(("role", "code"), [("writer", 404), ("publisher", 200)])
def test_add_form_publishing(client, users, role, code):
    client.force_login(users[role])
    response = client.post(
        reverse("admin:news_post_add"), admin_post_data(status=Status.PUBLISHED), follow=True
    )
    post = Post.objects.filter(slug="a-new-post").first()
    if role == "writer":
        assert REFUSED in page_text(response)
        assert post is None  # nothing saved
    else:
        assert "Published: readers can see it now." in page_text(response)
        assert post.is_live
        assert reader_sees(post) == code


@pytest.mark.parametrize(("role", "code"), [("writer", 404), ("publisher", 200)])
def test_change_form_status_draft_to_published(client, users, role, code):
    draft = make_post(status=Status.DRAFT, publish_at=None, title="Draft")
    client.force_login(users[role])
    response = change(client, draft, status=Status.PUBLISHED, title="Edited")
    draft.refresh_from_db()
    assert reader_sees(draft) == code
    if role == "writer":
        assert REFUSED in page_text(response) and "publish it" in page_text(response)
        assert (draft.status, draft.title, draft.publish_at) == (Status.DRAFT, "Draft", None)
    else:
        assert draft.status == Status.PUBLISHED and draft.title == "Edited"


@pytest.mark.parametrize(("role", "code"), [("writer", 200), ("publisher", 404)])
def test_change_form_unpublishing(client, users, role, code):
    live = make_post(title="Live")
    client.force_login(users[role])
    response = change(client, live, status=Status.DRAFT)
    live.refresh_from_db()
    assert reader_sees(live) == code
    if role == "writer":
        assert REFUSED in page_text(response) and "unpublish it" in page_text(response)
        assert live.status == Status.PUBLISHED
    else:
        assert live.status == Status.DRAFT
        assert "Draft saved: readers cannot see it." in page_text(response)


@pytest.mark.parametrize(("role", "code"), [("writer", 404), ("publisher", 200)])
def test_change_form_bringing_a_scheduled_post_forward(client, users, role, code):
    scheduled = make_post(publish_at=timezone.now() + timedelta(days=2))
    planned = scheduled.publish_at
    client.force_login(users[role])
    response = change(client, scheduled, **when(timezone.now() - timedelta(minutes=1)))
    scheduled.refresh_from_db()
    assert reader_sees(scheduled) == code
    if role == "writer":
        assert REFUSED in page_text(response)
        assert "bring its publish time earlier" in page_text(response)
        assert scheduled.publish_at == planned
    else:
        assert scheduled.publish_at < timezone.now()


@pytest.mark.parametrize(("role", "code"), [("writer", 200), ("publisher", 410)])
def test_change_form_taking_down_by_expiry(client, users, role, code):
    live = make_post()
    client.force_login(users[role])
    response = change(client, live, **expire(timezone.now() - timedelta(seconds=5)))
    live.refresh_from_db()
    assert reader_sees(live) == code
    if role == "writer":
        assert REFUSED in page_text(response) and "take-down time" in page_text(response)
        assert live.expire_at is None
    else:
        assert live.is_expired


@pytest.mark.parametrize("role", ROLES)
def test_a_writers_edit_of_a_live_post_waits_and_both_write_drafts(client, users, role):
    live = make_post(title="Live")
    client.force_login(users[role])
    response = change(client, live, title="Typo fixed")
    assert REFUSED not in page_text(response)
    live.refresh_from_db()
    # Only a publisher's save reaches readers; a writer's is kept as unpublished changes.
    assert live.title == ("Typo fixed" if role == "publisher" else "Live")
    assert reader_sees(live) == 200
    # A draft's dates are nobody's business but its writer's: nothing is public.
    response = client.post(
        reverse("admin:news_post_add"),
        admin_post_data(**when(timezone.now() - timedelta(days=30))),
        follow=True,
    )
    assert "Draft saved: readers cannot see it." in page_text(response)
    assert Post.objects.get(slug="a-new-post").status == Status.DRAFT


@pytest.mark.parametrize("how", ["form", "bulk action"])
def test_the_publish_right_is_per_model_a_post_publisher_cannot_publish_reports(client, how):
    client.force_login(
        make_staff("posts-only", perms=["add_report", "change_report", "view_report",
                                        "publish_post"])
    )  # fmt: skip
    report = make_report(status=Status.DRAFT, publish_at=None)
    if how == "form":
        url = reverse("admin:reports_report_change", args=[report.pk])
        data = {**form_values(client.get(url)), "_publishing": "publish"}
    else:
        url = reverse("admin:reports_report_changelist")
        data = {"action": "publish_selected", "_selected_action": [report.pk]}
    response = client.post(url, data, follow=True)
    assert "You do not have permission to publish reports" in page_text(response)
    report.refresh_from_db()
    assert (report.status, report.publish_at) == (Status.DRAFT, None)
    assert reader_sees(report) == 404


# --- bulk actions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "action", "start", "code"),
    [
        ("writer", "publish_selected", Status.DRAFT, 404),
        ("publisher", "publish_selected", Status.DRAFT, 200),
        ("writer", "unpublish_selected", Status.PUBLISHED, 200),
        ("publisher", "unpublish_selected", Status.PUBLISHED, 404),
    ],
)
def test_bulk_actions(client, users, role, action, start, code):
    post = make_post(status=start, publish_at=None if start == Status.DRAFT else timezone.now())
    client.force_login(users[role])
    response = client.post(
        reverse("admin:news_post_changelist"),
        {"action": action, "_selected_action": [post.pk]},
        follow=True,
    )
    post.refresh_from_db()
    assert reader_sees(post) == code
    if role == "writer":
        assert REFUSED in page_text(response)
        assert post.status == start
    else:
        assert post.status != start
        versions = Version.objects.get_for_object(post)
        assert versions.first().revision.comment.startswith(
            "Published" if start == Status.DRAFT else "Unpublished"
        )


# --- History: restore and recover -------------------------------------------------------


def _draft_with_a_published_version(client, publisher):
    """A post that was published (a version says so) and is a draft now."""
    client.force_login(publisher)
    post = make_post(status=Status.DRAFT, publish_at=None, title="Once live")
    change(client, post, status=Status.PUBLISHED)
    change(client, post, status=Status.DRAFT, title="Taken back")
    post.refresh_from_db()
    assert post.status == Status.DRAFT and reader_sees(post) == 404
    published = [
        v for v in Version.objects.get_for_object(post) if v.field_dict["status"] == "published"
    ]
    return post, published[0]


@pytest.mark.parametrize("role", ROLES)
def test_restoring_a_published_version_gives_a_draft_by_default(client, users, role):
    post, version = _draft_with_a_published_version(client, users["publisher"])
    client.force_login(users[role])
    url = reverse("admin:news_post_revision", args=[post.pk, version.pk])
    form_page = client.get(url)
    data = form_values(form_page)
    assert data["status"] == Status.DRAFT
    assert data["title"] == "Once live"  # the content comes back...
    assert client.post(url, data).status_code == 302
    post.refresh_from_db()
    assert (post.title, post.status) == ("Once live", Status.DRAFT)  # ...as a draft
    assert reader_sees(post) == 404


@pytest.mark.parametrize(("role", "code"), [("writer", 404), ("publisher", 200)])
def test_restoring_and_choosing_to_publish(client, users, role, code):
    post, version = _draft_with_a_published_version(client, users["publisher"])
    client.force_login(users[role])
    url = reverse("admin:news_post_revision", args=[post.pk, version.pk])
    data = form_values(client.get(url))
    response = client.post(url, {**data, "status": Status.PUBLISHED, "confirm_backdate": "on"})
    post.refresh_from_db()
    assert reader_sees(post) == code
    if role == "writer":
        assert response.status_code == 200 and REFUSED in page_text(response)
        assert (post.title, post.status) == ("Taken back", Status.DRAFT)  # nothing restored
    else:
        assert post.status == Status.PUBLISHED
        latest = Version.objects.get_for_object(post).first().revision.comment
        assert latest.startswith("Published") and "Reverted" in latest


def _deleted_published_post(client, publisher):
    client.force_login(publisher)
    post = make_post(title="Deleted while live")
    change(client, post, title="Deleted while live")
    client.post(reverse("admin:news_post_delete", args=[post.pk]), {"post": "yes"})
    assert not Post.objects.exists()
    return Version.objects.get_deleted(Post).get()


@pytest.mark.parametrize("role", ROLES)
def test_recovering_a_deleted_live_post_gives_a_draft_by_default(client, users, role):
    version = _deleted_published_post(client, users["publisher"])
    client.force_login(users[role])
    url = reverse("admin:news_post_recover", args=[version.pk])
    data = form_values(client.get(url))
    assert data["status"] == Status.DRAFT
    assert client.post(url, data).status_code == 302
    post = Post.objects.get()
    assert post.status == Status.DRAFT and reader_sees(post) == 404


@pytest.mark.parametrize(("role", "code"), [("writer", None), ("publisher", 200)])
def test_recovering_and_choosing_to_publish(client, users, role, code):
    version = _deleted_published_post(client, users["publisher"])
    client.force_login(users[role])
    url = reverse("admin:news_post_recover", args=[version.pk])
    data = form_values(client.get(url))
    response = client.post(url, {**data, "status": Status.PUBLISHED, "confirm_backdate": "on"})
    if role == "writer":
        assert REFUSED in page_text(response)
        assert not Post.objects.exists()  # nothing recovered
    else:
        assert reader_sees(Post.objects.get()) == code


def test_the_history_names_each_publishing_action(client, users):
    client.force_login(users["publisher"])
    post = make_post(status=Status.DRAFT, publish_at=None)
    future = timezone.now() + timedelta(days=3)
    change(client, post, status=Status.PUBLISHED, **when(future))
    post.refresh_from_db()
    change(client, post, **when(timezone.now() - timedelta(seconds=1)))
    post.refresh_from_db()
    change(client, post, status=Status.DRAFT)
    history = page_text(client.get(reverse("admin:news_post_history", args=[post.pk])))
    scheduled = f"Scheduled for {timezone.localtime(future):%d/%m/%Y %H:%M}"
    for action in [scheduled, "Published", "Unpublished"]:
        assert action in history
    assert "publisher" in history  # who


def test_the_recover_list_names_who_last_saved_each_deleted_item_and_what_it_did(client, users):
    client.force_login(users["publisher"])
    post = make_post(status=Status.DRAFT, publish_at=None, title="Published then deleted")
    change(client, post, status=Status.PUBLISHED)
    client.post(reverse("admin:news_post_delete", args=[post.pk]), {"post": "yes"})
    page = page_text(client.get(reverse("admin:news_post_recoverlist")))
    table = page.split('id="change-history"')[1].split("</table>")[0]
    [row] = [row for row in table.split("<tr") if "Published then deleted" in row]
    cells = [" ".join(c.split()) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    when, who, what, item = cells
    assert (who, item) == ("publisher", "Published then deleted")
    assert what.startswith("Published")


def test_the_recover_list_reads_who_saved_each_deleted_item_in_the_same_query(client, users):
    # One more deleted item, saved by one more person, costs the list no query.
    client.force_login(users["publisher"])

    def delete_one(n):
        editor = Client()
        editor.force_login(make_staff(f"editor{n}", groups=["Editors"]))
        post = make_post(status=Status.DRAFT, publish_at=None, title=f"Deleted {n}")
        change(editor, post, status=Status.PUBLISHED)
        editor.post(reverse("admin:news_post_delete", args=[post.pk]), {"post": "yes"})

    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("admin:news_post_recoverlist")).status_code == 200
        return len(queries)

    delete_one(1)
    one = queries_for_the_list()
    for n in range(2, 6):
        delete_one(n)
    assert queries_for_the_list() == one


# --- code paths: commands and imports ----------------------------------------------------


def test_code_saves_through_the_rule(users):
    post = Post(title="Imported", slug="imported", standfirst="S.", status=Status.PUBLISHED)
    with pytest.raises(PublishRefused, match=REFUSED):
        publishable_save(item=post, user=users["writer"])
    assert not Post.objects.exists()
    change = publishable_save(item=post, user=None)  # the system: a command, an import
    assert change.comment == "Published"
    assert reader_sees(post) == 200
    assert abs(post.publish_at - timezone.now()) < timedelta(seconds=5)  # stamped now


def test_the_load_demo_command_publishes_through_the_rule(demo):
    seed = Post.objects.get(slug="ktn-and-ukri-release-medicines-manufacturing-impact-report")
    assert reader_sees(seed) == 200
    comment = Version.objects.get_for_object(seed).first().revision.comment
    assert comment.startswith("Published (backdated to 14/10/2021")


@pytest.mark.parametrize(
    ("before", "after", "effect"),
    [
        (None, ("published", -1, None), "publish it"),
        (None, ("published", +1, None), "schedule it for"),
        (("published", -1, None), ("draft", -1, None), "unpublish it"),
        (("published", +2, None), ("published", +1, None), "bring its publish time earlier"),
        (("published", +1, None), ("published", +2, None), "move its publish time later"),
        (("published", -1, None), ("published", -1, +1), "change its take-down time"),
        (("published", -2, -1), ("published", -2, None), "change its take-down time"),
    ],
)
def test_the_rule_names_what_a_change_does(users, before, after, effect):
    now = timezone.now()

    def state(spec):
        if spec is None:
            return None
        status, publish, expire = spec
        return PublishState(
            status,
            now + timedelta(days=publish) if publish is not None else None,
            now + timedelta(days=expire) if expire is not None else None,
        )

    for user, allowed in [(users["writer"], False), (users["publisher"], True), (None, True)]:
        result = publishable_change_check(
            model=Post, before=state(before), after=state(after), user=user, now=now
        )
        assert any(e.startswith(effect) for e in result.effects)
        assert result.allowed is allowed
        assert (REFUSED in result.message) is not allowed
