"""The publish right on every save and delete (issue 22.1, 22.2): an editor without "Can
publish" never changes or removes what readers see of a live or scheduled item, whatever
the form posts: any button, no button, a stale status, a hand-made action."""

import itertools
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from news.models import Post
from opportunities.models import Opportunity
from publishing.models import Publishable, Status
from publishing.services import working_copy_discard, working_copy_find
from reports.models import Report
from tests.factories import (
    form_values,
    make_event,
    make_opportunity,
    make_post,
    make_report,
    signed_in,
)

pytestmark = pytest.mark.django_db

REFUSED = "You do not have permission to publish"
MAKERS = {Post: make_post, Report: make_report, Event: make_event, Opportunity: make_opportunity}
PUBLISHABLE = sorted(
    (m for m in apps.get_models() if issubclass(m, Publishable) and admin.site.is_registered(m)),
    key=lambda model: model._meta.label,
)
# What a posted form may carry: each button of any state, none, or ones no button sends.
ACTIONS = [None, "draft", "keep", "changes_draft", "publish", "unpublish", "made-up"]
SUBMITS = [None, "_save", "_continue", "_addanother", "_saveasnew"]
STATUSES = ["omitted", "as stored", "stale draft"]


def when(days):
    return timezone.now() + timedelta(days=days)


STATES = {"live": lambda: when(-1), "scheduled": lambda: when(3)}


@pytest.fixture
def writer():
    codenames = [
        f"{action}_{model._meta.model_name}"
        for model in PUBLISHABLE
        for action in ("add", "change", "view", "delete")
    ]
    return signed_in("writer", perms=codenames)


@pytest.fixture
def publisher():
    return signed_in("publisher", groups=["Editors"])


def admin_url(item, view="change"):
    opts = item._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[item.pk])


def what_readers_see(item):
    row = type(item)._default_manager.get(pk=item.pk)
    return (row.title, row.slug, row.status, row.publish_at, row.expire_at)


def test_every_publishable_model_is_tried():
    # A new content type joins these tests by adding its factory to MAKERS.
    assert set(PUBLISHABLE) == set(MAKERS)


@pytest.mark.parametrize("model", PUBLISHABLE, ids=lambda m: m._meta.model_name)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_no_post_of_the_form_changes_what_readers_see(writer, model, state, action):
    item = MAKERS[model](title="What readers see", publish_at=STATES[state]())
    stored = what_readers_see(item)
    opened = form_values(writer.get(admin_url(item)))
    for submit, status in itertools.product(SUBMITS, STATUSES):
        working_copy_discard(item=item)
        data = {**opened, "title": "Edited by a writer", "slug": "moved-by-a-writer"}
        if action:
            data["_publishing"] = action
        if submit:
            data[submit] = "1"
        if status == "omitted":
            data.pop("status", None)
        elif status == "stale draft":
            data["status"] = Status.DRAFT
        response = writer.post(admin_url(item), data, follow=True)
        case = f"{action=} {submit=} {status=}"
        assert response.status_code == 200, case
        assert what_readers_see(item) == stored, case
        # "Save as new" (posted by hand: the form has no such button) adds an item: a draft.
        others = model._default_manager.exclude(pk=item.pk)
        assert not others.exclude(status=Status.DRAFT).exists(), case
        added = others.exists()
        others.delete()
        copy = working_copy_find(item=item)
        page = response.content.decode()
        if copy is not None:
            assert copy.fields["title"] == "Edited by a writer", case
            assert "Changes saved as a draft" in page, case
        elif submit == "_saveasnew" and not added:
            # Refused, or the new item's form wants what the old one had (a report's file).
            assert REFUSED in page or 'class="errornote"' in page, case
        elif not added:
            assert REFUSED in page, case  # and the typed form comes back
    assert Client().get(item.get_absolute_url()).status_code == (200 if state == "live" else 404)


@pytest.mark.parametrize("model", PUBLISHABLE, ids=lambda m: m._meta.model_name)
def test_a_plain_save_of_a_live_item_becomes_its_unpublished_changes(writer, model):
    item = MAKERS[model](title="What readers see")
    data = {**form_values(writer.get(admin_url(item))), "title": "Edited", "_save": "1"}
    data.pop("_publishing", None)
    response = writer.post(admin_url(item), data, follow=True)
    page = response.content.decode()
    assert "Published: readers can see it now." not in page
    assert "readers still see the published version" in page
    assert "What readers see" in Client().get(item.get_absolute_url()).content.decode()
    assert working_copy_find(item=item).fields["title"] == "Edited"


def test_a_scheduled_posts_changes_wait_for_a_publisher_who_schedules_them(writer, publisher):
    post = make_post(title="As scheduled", publish_at=when(2))
    page = writer.get(admin_url(post)).content.decode()
    assert 'value="changes_draft"' in page and 'value="keep"' not in page
    data = {**form_values(writer.get(admin_url(post))), "title": "Writer's title"}
    response = writer.post(admin_url(post), {**data, "_publishing": "keep"}, follow=True)
    assert "it goes live as it was scheduled, without them" in response.content.decode()
    assert Post.objects.get(pk=post.pk).title == "As scheduled"
    # The publisher's form shows the changes; scheduling saves them.
    data = form_values(publisher.get(admin_url(post)))
    assert data["title"] == "Writer's title"
    publisher.post(admin_url(post), {**data, "_publishing": "publish"}, follow=True)
    post.refresh_from_db()
    assert post.title == "Writer's title" and post.is_scheduled
    assert working_copy_find(item=post) is None


def test_a_publishers_plain_save_still_publishes_the_edit(publisher):
    post = make_post(title="Old")
    data = {**form_values(publisher.get(admin_url(post))), "title": "New"}
    publisher.post(admin_url(post), data, follow=True)
    assert Post.objects.get(pk=post.pk).title == "New"


# Deleting


@pytest.mark.parametrize("model", PUBLISHABLE, ids=lambda m: m._meta.model_name)
@pytest.mark.parametrize("state", STATES)
def test_a_writer_cannot_delete_a_live_or_scheduled_item(writer, model, state):
    item = MAKERS[model](publish_at=STATES[state]())
    assert 'class="deletelink"' not in writer.get(admin_url(item)).content.decode()
    response = writer.post(admin_url(item, "delete"), {"post": "yes"}, follow=True)
    assert REFUSED in response.content.decode()
    assert "Nothing was deleted" in response.content.decode()
    assert type(item)._default_manager.filter(pk=item.pk).exists()


@pytest.mark.parametrize("model", PUBLISHABLE, ids=lambda m: m._meta.model_name)
def test_bulk_delete_refuses_when_any_item_is_live_and_deletes_nothing(writer, model):
    live = MAKERS[model]()
    draft = MAKERS[model](status=Status.DRAFT, publish_at=None)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    for step in ({}, {"post": "yes"}):  # the confirmation page, then its "Yes"
        response = writer.post(
            url,
            {"action": "delete_selected", "_selected_action": [live.pk, draft.pk], **step},
            follow=True,
        )
        assert REFUSED in response.content.decode()
        assert model._default_manager.filter(pk__in=[live.pk, draft.pk]).count() == 2


@pytest.mark.parametrize("model", PUBLISHABLE, ids=lambda m: m._meta.model_name)
def test_drafts_stay_deletable_by_their_writers(writer, model):
    draft = MAKERS[model](status=Status.DRAFT, publish_at=None)
    expired = MAKERS[model](publish_at=when(-3), expire_at=when(-1))
    response = writer.post(admin_url(draft, "delete"), {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert not model._default_manager.filter(pk=draft.pk).exists()
    opts = model._meta
    writer.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [expired.pk], "post": "yes"},
    )
    assert not model._default_manager.filter(pk=expired.pk).exists()


def test_a_publisher_deletes_a_live_post(publisher):
    post = make_post()
    publisher.post(admin_url(post, "delete"), {"post": "yes"})
    assert not Post.objects.filter(pk=post.pk).exists()
