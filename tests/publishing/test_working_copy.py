"""Changes to a live item are a draft until published (issue 11.2): readers keep the live
version while editors save, preview and share the changes; Publish changes makes them live."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from news.models import Post, PostChange
from publishing.editing import edit_token
from publishing.models import WorkingCopy
from publishing.services import (
    PublishRefused,
    preview_link_create,
    working_copy_apply,
    working_copy_discard,
    working_copy_find,
    working_copy_store,
)
from tests.factories import (
    admin_post_data,
    form_values,
    make_post,
    make_report,
    make_staff,
    make_topic,
)

pytestmark = pytest.mark.django_db

BUTTON = re.compile(r'<button type="submit" name="_publishing" value="(\w+)"[^>]*>([^<]+)</button>')


def reader_sees(post, text):
    return text in Client().get(post.get_absolute_url()).content.decode()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def publisher_user():
    return make_staff("publisher", groups=["Editors"])


@pytest.fixture
def publisher(publisher_user):
    return client_for(publisher_user)


@pytest.fixture
def writer():
    return client_for(make_staff("writer", perms=["add_post", "change_post", "view_post"]))


def change_url(item):
    opts = item._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])


def press(client, post, action, **fields):
    data = admin_post_data(post, **fields)
    data.pop("status", None)
    return client.post(change_url(post), {**data, "_publishing": action}, follow=True)


def store_standfirst(post, text, user=None):
    post.standfirst = text
    return working_copy_store(item=post, user=user, fields=["standfirst"])


# The services


def test_a_stored_working_copy_leaves_the_readers_page_as_it_was(publisher_user):
    post = make_post(standfirst="What readers see.")
    store_standfirst(post, "Not published yet.", publisher_user)
    post.refresh_from_db()
    assert post.standfirst == "What readers see."
    assert reader_sees(post, "What readers see.")
    assert not reader_sees(post, "Not published yet.")
    assert working_copy_find(item=post).saved_by == publisher_user


def test_applying_the_working_copy_makes_it_what_readers_see(publisher_user):
    post = make_post(standfirst="Old text.")
    topic = make_topic(name="Net Zero")
    post.standfirst = "New text."
    working_copy_store(
        item=post,
        user=publisher_user,
        fields=["standfirst", "topics"],
        relations={"topics": [topic]},
    )
    reader_sees(post, "Old text.")  # cached now: publishing must still show the change
    post = Post.objects.get(pk=post.pk)
    change = working_copy_apply(item=post, user=publisher_user)
    assert "publish changes to it" in change.effects
    assert reader_sees(post, "New text.")
    assert list(post.topics.all()) == [topic]
    assert working_copy_find(item=post) is None
    latest = Version.objects.get_for_object(post).order_by("-pk").first()
    assert latest.revision.comment.startswith("Changes published")
    assert latest.field_dict["standfirst"] == "New text."


def test_a_user_without_the_publish_right_cannot_apply_it_and_nothing_changes():
    writer = make_staff("writer", perms=["add_post", "change_post", "view_post"])
    post = make_post(standfirst="Old text.")
    store_standfirst(post, "New text.", writer)
    post = Post.objects.get(pk=post.pk)
    with pytest.raises(PublishRefused, match="cannot publish changes to it"):
        working_copy_apply(item=post, user=writer)
    assert Post.objects.get(pk=post.pk).standfirst == "Old text."
    assert working_copy_find(item=post) is not None


def test_discarding_drops_the_changes_and_deleting_the_item_drops_its_copy():
    post = make_post()
    store_standfirst(post, "Never mind.")
    assert working_copy_discard(item=post) is True
    assert not WorkingCopy.objects.exists()
    other = make_post()
    store_standfirst(other, "Going with it.")
    other.delete()
    assert not WorkingCopy.objects.exists()


# The admin


def test_a_live_post_offers_save_changes_as_draft(publisher, writer):
    post = make_post()
    page = publisher.get(change_url(post)).content.decode()
    assert [v for v, _ in BUTTON.findall(page)] == ["changes_draft", "keep", "unpublish"]
    page = writer.get(change_url(post)).content.decode()
    assert BUTTON.findall(page) == [("changes_draft", "Save changes as draft")]


def test_save_changes_as_draft_keeps_readers_on_the_live_version(publisher):
    post = make_post(standfirst="What readers see.")
    response = press(publisher, post, "changes_draft", standfirst="A better standfirst.")
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == change_url(post)
    assert "Changes saved as a draft: readers still see the published version." in page
    assert "was changed successfully" not in page
    # The form shows the changes, with whose they are and a way to drop them.
    assert "A better standfirst." in page
    assert "You are editing unpublished changes saved by publisher at" in page
    assert "Discard changes" in page
    assert Post.objects.get(pk=post.pk).standfirst == "What readers see."
    assert reader_sees(post, "What readers see.")
    assert not Version.objects.get_for_object(post).exists()


def test_publish_changes_publishes_the_copy_and_the_forms_edits(publisher):
    post = make_post(title="Old title", standfirst="Old standfirst.")
    press(publisher, post, "changes_draft", standfirst="New standfirst.")
    response = press(
        publisher, post, "keep", title="New title", standfirst="New standfirst, edited."
    )
    assert "Changes published: readers can see them now." in response.content.decode()
    post = Post.objects.get(pk=post.pk)
    assert (post.title, post.standfirst) == ("New title", "New standfirst, edited.")
    assert reader_sees(post, "New standfirst, edited.")
    assert working_copy_find(item=post) is None
    latest = Version.objects.get_for_object(post).order_by("-pk").first()
    assert latest.revision.comment.startswith("Changes published")


def test_the_change_note_is_kept_with_the_draft_and_recorded_only_on_publish(publisher):
    post = make_post(standfirst="Old.")
    press(
        publisher,
        post,
        "changes_draft",
        standfirst="Corrected.",
        major_change="on",
        major_change_note="Corrected the funding total.",
    )
    assert not PostChange.objects.exists()
    page = publisher.get(change_url(post)).content.decode()
    assert 'value="Corrected the funding total."' in page
    assert re.search(r'name="major_change"[^>]*checked', page)
    press(
        publisher,
        post,
        "keep",
        standfirst="Corrected.",
        major_change="on",
        major_change_note="Corrected the funding total.",
    )
    assert PostChange.objects.get().note == "Corrected the funding total."


def test_a_writer_may_save_changes_as_draft_but_not_publish_them(writer):
    post = make_post(standfirst="Old.")
    response = press(writer, post, "changes_draft", standfirst="Writer's draft.")
    page = response.content.decode()
    assert "An editor with the publish right publishes them." in page
    response = press(writer, post, "keep", standfirst="Writer's draft.")
    assert "You do not have permission to publish posts" in response.content.decode()
    assert Post.objects.get(pk=post.pk).standfirst == "Old."


# History → an earlier version of a live item: it becomes the unpublished changes.


def _live_post_with_two_versions(publisher, **fields):
    post = make_post(**fields)
    press(publisher, post, "keep", title="First words", standfirst="The first standfirst.")
    press(publisher, post, "keep", title="Second words", standfirst="The second standfirst.")
    first = Version.objects.get_for_object(post).order_by("pk").first()
    return Post.objects.get(pk=post.pk), first


def opened_at(item):
    """The version token a form opened now carries (a post without one is refused)."""
    return {"edit_base": edit_token(item)}


def revision_url(post, version):
    return reverse("admin:news_post_revision", args=[post.pk, version.pk])


def test_a_writer_restores_a_live_posts_old_version_as_unpublished_changes(publisher, writer):
    post, first = _live_post_with_two_versions(publisher)
    versions = Version.objects.get_for_object(post).count()
    response = writer.post(revision_url(post, first), opened_at(post), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == change_url(post)
    assert "as unpublished changes: readers still see the live version, unchanged." in page
    assert "an editor with the publish right publishes it with Publish changes" in page
    # The form shows the old version as the post's unpublished changes...
    assert "You are editing unpublished changes saved by writer at" in page
    assert form_values(response)["standfirst"] == "The first standfirst."
    # ...and readers still get the live one.
    stored = Post.objects.get(pk=post.pk)
    assert (stored.title, stored.standfirst) == ("Second words", "The second standfirst.")
    assert reader_sees(post, "The second standfirst.")
    assert not reader_sees(post, "The first standfirst.")
    assert Version.objects.get_for_object(post).count() == versions
    assert working_copy_find(item=post).fields["title"] == "First words"
    logged = LogEntry.objects.filter(object_id=str(post.pk)).latest("pk")
    assert re.fullmatch(
        r"Restored the version of \d\d/\d\d/\d{4} \d\d:\d\d as unpublished changes\.",
        logged.get_change_message(),
    )


def test_a_publisher_restores_then_publishes_changes(publisher):
    post, first = _live_post_with_two_versions(publisher)
    response = publisher.post(revision_url(post, first), opened_at(post), follow=True)
    assert "press Publish changes to publish it" in response.content.decode()
    assert reader_sees(post, "The second standfirst.")
    data = form_values(response)
    data.pop("status", None)
    response = publisher.post(change_url(post), {**data, "_publishing": "keep"}, follow=True)
    assert "Changes published: readers can see them now." in response.content.decode()
    assert reader_sees(post, "The first standfirst.")
    assert Post.objects.get(pk=post.pk).title == "First words"
    assert working_copy_find(item=post) is None
    latest = Version.objects.get_for_object(post).order_by("-pk").first()
    assert latest.revision.comment.startswith("Changes published")


def test_the_restore_page_asks_first_and_changes_nothing(publisher, writer):
    post, first = _live_post_with_two_versions(publisher)
    store_standfirst(Post.objects.get(pk=post.pk), "A colleague's changes.")
    response = writer.get(revision_url(post, first))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Restore an earlier version of “Second words”</h1>" in page
    assert 'value="Restore as unpublished changes"' in page
    history = reverse("admin:news_post_history", args=[post.pk])
    assert f'<a href="{history}" class="button cancel-link">Cancel</a>' in page
    assert "It already has unpublished changes" in page
    assert Post.objects.get(pk=post.pk).title == "Second words"
    assert working_copy_find(item=post).fields["standfirst"] == "A colleague's changes."


def test_restoring_a_version_that_names_deleted_things_leaves_them_out(publisher):
    kept, deleted = make_topic(name="Kept"), make_topic(name="Deleted since")
    report = make_report()
    post = make_post(topics=[kept, deleted])
    press(
        publisher,
        post,
        "keep",
        title="With both topics",
        topics=[kept.pk, deleted.pk],
        report=report.pk,
    )
    press(publisher, post, "keep", title="With one topic", topics=[kept.pk], report="")
    first = Version.objects.get_for_object(post).order_by("pk").first()
    deleted.delete()
    report.delete()
    said = [
        "1 of the version&#x27;s topics no longer exists and was left out.",
        "The version&#x27;s report no longer exists: the report stays as it is now.",
    ]
    page = publisher.get(revision_url(post, first)).content.decode()
    assert all(text in page for text in said)
    response = publisher.post(revision_url(post, first), opened_at(post), follow=True)
    assert response.status_code == 200
    assert all(text in response.content.decode() for text in said)
    copy = working_copy_find(item=post)
    assert (copy.fields["title"], copy.fields["topics"]) == ("With both topics", [kept.pk])
    assert copy.fields["report"] is None
    # Publishing the restored version works: nothing in it points at a deleted row.
    data = form_values(response)
    data.pop("status", None)
    response = publisher.post(change_url(post), {**data, "_publishing": "keep"}, follow=True)
    assert "Changes published" in response.content.decode()
    assert list(Post.objects.get(pk=post.pk).topics.all()) == [kept]


def test_discard_changes_returns_the_form_to_the_live_version(publisher):
    post = make_post(standfirst="Live text.")
    press(publisher, post, "changes_draft", standfirst="Thrown away.")
    discard = reverse("admin:news_post_discard_changes", args=[post.pk])
    assert publisher.get(discard).status_code == 405
    response = publisher.post(discard, follow=True)
    page = response.content.decode()
    assert "Unpublished changes discarded" in page
    assert "Thrown away." not in page and "Live text." in page
    assert working_copy_find(item=post) is None


def test_the_list_shows_and_filters_live_items_with_unpublished_changes(
    publisher, django_assert_max_num_queries
):
    changed, plain = make_post(title="Changed"), make_post(title="Plain")
    press(publisher, changed, "changes_draft", standfirst="Later.")
    url = reverse("admin:news_post_changelist")
    page = publisher.get(url).content.decode()
    assert '<td class="field-state">Live + unpublished changes</td>' in page
    assert '<td class="field-state">Published</td>' in page
    response = publisher.get(url, {"state": "changes"})
    assert [post.title for post in response.context["cl"].result_list] == ["Changed"]
    assert "Live + unpublished changes" in page  # the filter's choice
    for n in range(10):
        store_standfirst(make_post(), f"Changed {n}.")
    with django_assert_max_num_queries(13):
        assert publisher.get(url).status_code == 200
    assert plain.pk


def test_the_preview_and_a_preview_link_show_the_working_copy(publisher, publisher_user):
    post = make_post(standfirst="Live standfirst.")
    press(publisher, post, "changes_draft", standfirst="Draft standfirst.")
    link = preview_link_create(item=post, user=publisher_user)
    page = Client().get(link.get_absolute_url()).content.decode()
    assert "Draft standfirst." in page and "Live standfirst." not in page
    assert "Unpublished changes." in page
    form = admin_post_data(Post.objects.get(pk=post.pk), standfirst="Draft standfirst.")
    preview = publisher.post(reverse("admin:news_post_preview", args=[post.pk]), form)
    assert "Draft standfirst." in preview.content.decode()
    assert reader_sees(post, "Live standfirst.")


def test_a_report_keeps_its_changes_as_a_draft_too(publisher):
    report = make_report(summary="Live summary.")
    page = publisher.get(change_url(report)).content.decode()
    assert ("changes_draft", "Save changes as draft") in BUTTON.findall(page)
    data = {
        "title": report.title,
        "slug": report.slug,
        "summary": "Draft summary.",
        **opened_at(report),
        "publish_at_0": f"{report.publish_at.astimezone():%d/%m/%Y}",
        "publish_at_1": f"{report.publish_at.astimezone():%H:%M:%S}",
        "_publishing": "changes_draft",
    }
    publisher.post(change_url(report), data, follow=True)
    report.refresh_from_db()
    assert report.summary == "Live summary."
    assert working_copy_find(item=report).fields["summary"] == "Draft summary."


def test_an_autosave_older_than_the_saved_changes_is_not_offered(publisher, publisher_user):
    from django.http import QueryDict

    from publishing.services import autosave_store

    post = make_post()
    autosave_store(
        user=publisher_user, model=Post, object_id=post.pk, post=QueryDict("standfirst=Typed")
    )
    assert (
        "You have unsaved changes to this from" in publisher.get(change_url(post)).content.decode()
    )
    store_standfirst(post, "Saved as draft changes after that typing.", publisher_user)
    page = publisher.get(change_url(post)).content.decode()
    assert "You have unsaved changes to this from" not in page
    assert "Saved as draft changes after that typing." in page


def test_a_new_report_file_waits_with_the_changes_and_is_read_when_published(publisher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ktnsite.demo.files import make_pdf

    report = make_report(summary="Live summary.")
    live_file, live_pages = report.file.name, report.page_count
    when = timezone.localtime(report.publish_at)
    data = {
        "title": report.title,
        "slug": report.slug,
        "summary": "Live summary.",
        "publish_at_0": f"{when:%d/%m/%Y}",
        "publish_at_1": f"{when:%H:%M:%S}",
    }
    pdf = make_pdf([["Fresh findings"], ["Two"], ["Three"]])
    upload = SimpleUploadedFile("fresh.pdf", pdf, content_type="application/pdf")
    publisher.post(
        change_url(report),
        {**data, **opened_at(report), "file": upload, "_publishing": "changes_draft"},
        follow=True,
    )
    report.refresh_from_db()
    assert (report.file.name, report.page_count) == (live_file, live_pages)
    copy_file = working_copy_find(item=report).fields["file"]
    assert copy_file != live_file and report.file.storage.exists(copy_file)
    response = publisher.post(
        change_url(report), {**data, **opened_at(report), "_publishing": "keep"}, follow=True
    )
    assert "Changes published" in response.content.decode()
    report.refresh_from_db()
    assert report.file.name == copy_file
    assert report.page_count == 3 and "Fresh findings" in report.extracted_text
