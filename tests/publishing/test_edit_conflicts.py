"""Two editors on one item: a save made after a colleague's, from a form opened before it, is
refused with everything typed kept and a compare of what changed; who has a form open shows."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from news.models import Post
from publishing.models import Autosave
from publishing.services import autosave_store, working_copy_find
from reports.models import Report
from tests.factories import (
    form_values,
    make_contact,
    make_event,
    make_post,
    make_report,
    make_staff,
)

pytestmark = pytest.mark.django_db

# Per publishable model: how to make one, and a text field an editor types into.
MODELS = {
    "post": (make_post, "standfirst"),
    "report": (make_report, "summary"),
    "event": (make_event, "standfirst"),
}
REFUSED = "after you opened it. Nothing was saved"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def erin():
    return make_staff("erin", groups=["Editors"])


@pytest.fixture
def me():
    return client_for(make_staff("me", groups=["Editors"]))


def url(item, view="change", *args):
    opts = item._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[item.pk, *args])


def opened(client, item):
    """What the browser would send back from the item's change form as opened now."""
    response = client.get(url(item))
    assert response.status_code == 200
    return form_values(response)


def press(client, item, form, action, **typed):
    data = {**form, **typed, "_publishing": action}
    return client.post(url(item), data, follow=True)


def stored(item, field):
    return getattr(type(item)._default_manager.get(pk=item.pk), field)


def make(kind, **fields):
    factory, field = MODELS[kind]
    return factory(**fields), field


# The colleague's save happens between my opening the form and my save, for each kind of save.
SAVES = [
    # (state of the item, my button, the colleague's button)
    ("draft", "draft", "draft"),  # Save draft
    ("draft", "publish", "draft"),  # Publish
    ("live", "keep", "keep"),  # Publish changes
    ("live", "changes_draft", "keep"),  # Save changes as draft, over a published change
    ("live", "keep", "changes_draft"),  # Publish changes, over a colleague's draft changes
]


@pytest.mark.parametrize("kind", MODELS)
@pytest.mark.parametrize(("state", "mine", "theirs"), SAVES)
def test_a_save_after_a_colleagues_is_refused_and_keeps_what_was_typed(
    kind, state, mine, theirs, me, erin
):
    extra = {"status": "draft", "publish_at": None} if state == "draft" else {}
    item, field = make(kind, title="Shared title", **extra)
    my_form = opened(me, item)
    colleague = client_for(erin)
    press(colleague, item, opened(colleague, item), theirs, **{field: "Erin's sentence."})
    before = Version.objects.get_for_object(item).count()
    copy_before = working_copy_find(item=item)

    response = press(me, item, my_form, mine, title="My new title", **{field: "My words."})

    page = response.content.decode()
    assert response.status_code == 200
    assert "erin saved this" in page and REFUSED in page
    # Nothing of mine was stored: neither the row, nor the history, nor unpublished changes.
    assert stored(item, "title") == "Shared title"
    assert Version.objects.get_for_object(item).count() == before
    copy_after = working_copy_find(item=item)
    assert (copy_after and copy_after.saved_at) == (copy_before and copy_before.saved_at)
    # The form keeps what I typed, and the compare shows theirs beside mine.
    form = response.context["adminform"].form
    assert form[field].value() == "My words." and form["title"].value() == "My new title"
    compare = page[page.index("Changed since you opened it") :]
    assert "Erin&#x27;s sentence." in compare and "My words." in compare


@pytest.mark.parametrize("kind", MODELS)
def test_after_the_compare_saving_again_keeps_the_merged_text(kind, me, erin):
    item, field = make(kind)
    my_form = opened(me, item)
    colleague = client_for(erin)
    press(colleague, item, opened(colleague, item), "keep", **{field: "Erin's sentence."})
    refused = press(me, item, my_form, "keep", **{field: "My words."})
    # The form as it came back: what I typed, at the colleague's version.
    again = {**my_form, "edit_base": refused.context["adminform"].form["edit_base"].value()}
    merged = "Erin's sentence. My words."
    response = press(me, item, again, "keep", **{field: merged})
    assert REFUSED not in response.content.decode()
    assert stored(item, field) == merged


def test_my_own_saves_one_after_another_are_never_refused(me):
    post = make_post()
    form = opened(me, post)
    press(me, post, form, "keep", standfirst="First go.")
    response = press(me, post, opened(me, post), "keep", standfirst="Second go.")
    assert REFUSED not in response.content.decode()
    assert stored(post, "standfirst") == "Second go."


def test_the_compare_names_what_changed_in_words_not_ids(me, erin):
    post = make_post()
    report = make_report(title="Hydrogen futures")
    press(me, post, opened(me, post), "keep")  # a version in the history, as saved in the admin
    my_form = opened(me, post)
    colleague = client_for(erin)
    press(colleague, post, opened(colleague, post), "keep", report=report.pk)
    page = press(me, post, my_form, "keep", standfirst="Mine.").content.decode()
    compare = page[page.index("Changed since you opened it") :]
    row = re.search(r"<tr[^>]*>\s*<th scope=\"row\">Report.*?</tr>", compare, re.S).group(0)
    assert "changed by them" in row and "Hydrogen futures" in row


@pytest.mark.parametrize("kind", MODELS)
def test_restoring_a_draft_from_history_over_a_newer_save_is_refused(kind, me, erin):
    item, field = make(kind, status="draft", publish_at=None)
    press(me, item, opened(me, item), "draft", **{field: "Version one."})
    press(me, item, opened(me, item), "draft", **{field: "Version two."})
    first = Version.objects.get_for_object(item).order_by("pk").first()
    restore_url = url(item, "revision", first.pk)
    restore_form = form_values(me.get(restore_url))
    colleague = client_for(erin)
    press(colleague, item, opened(colleague, item), "draft", **{field: "Erin's version."})

    response = me.post(restore_url, restore_form)

    page = response.content.decode()
    assert response.status_code == 200
    assert REFUSED in page
    assert stored(item, field) == "Erin's version."
    # The same compare as the change form's refusal: theirs now beside the restored version.
    compare = page[page.index("Changed since you opened it") :]
    assert "Erin&#x27;s version." in compare and "Version one." in compare


NO_TOKEN = "did not say which version"


@pytest.mark.parametrize("kind", MODELS)
@pytest.mark.parametrize(
    ("state", "mine"),
    [("draft", "draft"), ("draft", "publish"), ("live", "keep"), ("live", "changes_draft")],
)
def test_a_save_without_the_opened_version_is_refused_with_the_compare(kind, state, mine, me, erin):
    # A tab opened before forms carried the token, or a hand-made post: it cannot say what
    # its author saw, so it may not overwrite what a colleague saved.
    extra = {"status": "draft", "publish_at": None} if state == "draft" else {}
    item, field = make(kind, title="Shared title", **extra)
    colleague = client_for(erin)
    press(
        colleague,
        item,
        opened(colleague, item),
        "keep" if state == "live" else "draft",
        **{field: "Erin's sentence."},
    )
    old_tab = {k: v for k, v in opened(me, item).items() if k != "edit_base"}
    before = Version.objects.get_for_object(item).count()

    response = press(me, item, old_tab, mine, title="My new title", **{field: "My words."})

    page = response.content.decode()
    assert response.status_code == 200 and NO_TOKEN in page and "Nothing was saved" in page
    assert stored(item, "title") == "Shared title" and stored(item, field) == "Erin's sentence."
    assert Version.objects.get_for_object(item).count() == before
    compare = page[page.index("Saved now, and yours") :]
    assert "Erin&#x27;s sentence." in compare and "My words." in compare
    # The form came back carrying the version now stored: saved again, it goes through.
    form = response.context["adminform"].form
    assert form["title"].value() == "My new title"
    again = {**old_tab, "edit_base": form["edit_base"].value()}
    page = press(me, item, again, mine, **{field: "Merged words."}).content.decode()
    assert NO_TOKEN not in page and REFUSED not in page
    copy = working_copy_find(item=item)
    kept = copy.fields[field] if mine == "changes_draft" else stored(item, field)
    assert kept == "Merged words."


@pytest.mark.parametrize("kind", MODELS)
def test_a_history_restore_without_the_opened_version_is_refused(kind, me):
    item, field = make(kind)
    press(me, item, opened(me, item), "keep", **{field: "Version one."})
    press(me, item, opened(me, item), "keep", **{field: "Version two."})
    first = Version.objects.get_for_object(item).order_by("pk").first()
    restore_url = url(item, "revision", first.pk)

    page = me.post(restore_url, {}).content.decode()

    assert "Nothing was restored: the request did not say which version" in page
    assert "Saved now, and yours" in page
    assert working_copy_find(item=item) is None


@pytest.mark.parametrize("kind", MODELS)
def test_restoring_a_live_items_version_over_a_newer_save_is_refused(kind, me, erin):
    item, field = make(kind)
    press(me, item, opened(me, item), "keep", **{field: "Version one."})
    press(me, item, opened(me, item), "keep", **{field: "Version two."})
    first = Version.objects.get_for_object(item).order_by("pk").first()
    restore_url = url(item, "revision", first.pk)
    token = re.search(r'name="edit_base" value="([^"]*)"', me.get(restore_url).content.decode())
    colleague = client_for(erin)
    press(colleague, item, opened(colleague, item), "changes_draft", **{field: "Erin's draft."})

    response = me.post(restore_url, {"edit_base": token.group(1)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was restored: erin saved this" in page
    assert working_copy_find(item=item).fields[field] == "Erin's draft."
    # Confirmed again from the page that showed what changed, it goes ahead.
    token = re.search(r'name="edit_base" value="([^"]*)"', page).group(1)
    assert me.post(restore_url, {"edit_base": token}).status_code == 302
    assert working_copy_find(item=item).fields[field] == "Version one."


def test_an_autosave_restored_after_a_colleagues_save_is_refused_on_saving(erin):
    writer = make_staff("writer", groups=["Editors"])
    me = client_for(writer)
    post = make_post()
    my_form = opened(me, post)
    typed = QueryDict(mutable=True)
    for name, value in {**my_form, "standfirst": "Typed before the crash."}.items():
        typed.setlist(name, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    autosave_store(user=writer, model=Post, object_id=post.pk, post=typed)
    colleague = client_for(erin)
    press(colleague, post, opened(colleague, post), "keep", standfirst="Erin's fix.")

    # The restore puts the autosave's fields back in the form, its version included.
    kept = Autosave.objects.get(user=writer).data
    assert kept["edit_base"] == [my_form["edit_base"]]
    restored = {name: values if len(values) != 1 else values[0] for name, values in kept.items()}
    response = press(me, post, restored, "keep")

    assert REFUSED in response.content.decode()
    assert stored(post, "standfirst") == "Erin's fix."


def test_a_contacts_save_after_a_colleagues_is_refused_too(me, erin):
    contact = make_contact(name="Amir Haddad", job_title="Lead")
    my_form = opened(me, contact)
    colleague = client_for(erin)
    colleague.post(url(contact), {**opened(colleague, contact), "job_title": "Head"})
    response = me.post(url(contact), {**my_form, "job_title": "Chief"})
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert stored(contact, "job_title") == "Head"


# Presence


def test_opening_a_form_another_editor_has_open_names_them(me, erin):
    cache.clear()
    post = make_post()
    client_for(erin).get(url(post))
    page = me.get(url(post)).content.decode()
    assert "erin is editing this post (opened just now)" in page
    listing = me.get(reverse("admin:news_post_changelist")).content.decode()
    assert "erin is editing this post (opened just now)" in listing


def test_presence_says_how_long_ago_and_never_names_myself(me, erin):
    cache.clear()
    post = make_post()
    erins = client_for(erin)
    erins.get(url(post))
    start = timezone.now()
    with pytest.MonkeyPatch.context() as patch:
        for minutes in (1, 2, 3):  # her open form beats every 30 s; once a minute is enough
            patch.setattr(timezone, "now", lambda m=minutes: start + timedelta(minutes=m))
            erins.post(url(post, "presence"))
        page = me.get(url(post)).content.decode()
        assert "erin is editing this post (opened 3 minutes ago)" in page
        mine = erins.post(url(post, "presence")).json()
        assert mine["others"] == ["me is editing this post (opened just now)"]


def test_presence_expires_when_the_form_stops_beating_or_is_closed(me, erin, settings):
    cache.clear()
    post, other = make_post(), make_post()
    erins = client_for(erin)
    erins.get(url(post))
    erins.get(url(other))
    erins.post(url(other, "presence"), {"_leave": "1"})  # she closed that one
    assert "erin is editing" not in me.get(url(other)).content.decode()
    later = timezone.now() + timedelta(seconds=settings.PUBLISHING_PRESENCE_SECONDS + 1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        assert "erin is editing" not in me.get(url(post)).content.decode()


def test_the_presence_beat_is_post_only_and_for_those_who_may_edit(me):
    post = make_post()
    assert me.get(url(post, "presence")).status_code == 405
    reader = client_for(make_staff("reader", perms=["view_post"]))
    assert reader.post(url(post, "presence")).status_code == 403
    assert me.post(reverse("admin:news_post_presence", args=[999999])).status_code == 404


def test_a_list_with_presence_costs_no_extra_query_per_row(me, erin, django_assert_max_num_queries):
    cache.clear()
    posts = [make_post() for _ in range(3)]
    erins = client_for(erin)
    for post in posts:
        erins.get(url(post))
    me.get(reverse("admin:news_post_changelist"))
    with django_assert_max_num_queries(13):
        me.get(reverse("admin:news_post_changelist"))
    for _ in range(5):
        erins.get(url(make_post()))
    with django_assert_max_num_queries(13):
        page = me.get(reverse("admin:news_post_changelist")).content.decode()
    assert page.count("erin is editing this post") == 8


def test_report_forms_show_presence_too(me, erin):
    cache.clear()
    report = make_report()
    client_for(erin).get(url(report))
    assert "erin is editing this report" in me.get(url(report)).content.decode()
    assert Report.objects.count() == 1
