"""A second pair of eyes (issue 28): submit for review, freeze, withdraw, approve (and publish
or schedule) or send back, refused for the writer and for those without the publish right."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Post
from publishing.editing import edit_token
from publishing.models import Status
from publishing.services import working_copy_find
from review.models import Review, ReviewState
from tests.factories import admin_post_data, make_post, make_report, signed_in

pytestmark = pytest.mark.django_db

WRITER_PERMS = ["add_post", "change_post", "view_post"]


def review_url(item):
    opts = item._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{item.pk}/review/"


def change_url(item):
    opts = item._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{item.pk}/change/"


def the_review(item):
    return Review.objects.filter(object_id=item.pk).latest("pk")


@pytest.fixture
def writer():
    return signed_in("wendy", perms=WRITER_PERMS)


@pytest.fixture
def reviewer():
    return signed_in("rita", groups=["Editors"])


@pytest.fixture
def draft():
    return make_post(status=Status.DRAFT, publish_at=None, title="Funding round opens")


def submit(client, item, **fields):
    return client.post(review_url(item), {"_review": "submit", **fields}, follow=True)


def decide(client, item, action, **fields):
    review = the_review(item)
    data = {"_review": action, "review": review.pk, "token": edit_token(item), **fields}
    return client.post(review_url(item), data)


def test_a_submitted_draft_shows_in_review_in_the_list_and_on_its_form(writer, draft):
    response = submit(writer, draft, message="Please check the amounts.")
    assert "Submitted for review" in response.content.decode()
    assert the_review(draft).message == "Please check the amounts."
    assert "Draft · In review" in writer.get("/admin/news/post/").content.decode()
    form = writer.get(change_url(draft)).content.decode()
    assert "<strong>In review</strong>: submitted by wendy" in form
    assert "Withdraw from review" in form


def test_content_in_review_is_frozen_for_the_writer_until_withdrawn(writer, draft):
    submit(writer, draft)
    form = writer.get(change_url(draft)).content.decode()
    assert 'name="_publishing"' not in form  # no save buttons: the form is read-only
    # Nor the scripts that would post to it (autosave, who has it open): they would be refused.
    assert 'id="publishing-autosave"' not in form and 'id="publishing-presence"' not in form
    refused = writer.post(
        change_url(draft), admin_post_data(draft, title="Changed", _publishing="draft")
    )
    assert refused.status_code == 403
    assert Post.objects.get(pk=draft.pk).title == "Funding round opens"

    response = writer.post(
        review_url(draft), {"_review": "withdraw", "review": the_review(draft).pk}, follow=True
    )
    assert "Withdrawn from review" in response.content.decode()
    assert the_review(draft).state == ReviewState.WITHDRAWN
    saved = writer.post(
        change_url(draft), admin_post_data(draft, title="Changed", _publishing="draft")
    )
    assert saved.status_code == 302
    assert Post.objects.get(pk=draft.pk).title == "Changed"


def test_a_second_submit_is_refused_with_a_conflict(writer, draft):
    submit(writer, draft)
    again = writer.post(review_url(draft), {"_review": "submit"})
    assert again.status_code == 409
    assert "already in review" in again.content.decode()
    assert Review.objects.count() == 1


def test_the_writer_is_not_the_second_set_of_eyes_even_with_the_publish_right(draft):
    both = signed_in("pat", groups=["Editors"])
    submit(both, draft)
    form = both.get(change_url(draft)).content.decode()
    assert "You are not the second set of eyes" in form
    refused = decide(both, draft, "approve_publish")
    assert refused.status_code == 403
    assert "You are not the second set of eyes" in refused.content.decode()
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT
    assert the_review(draft).state == ReviewState.IN_REVIEW


def test_posting_an_approval_without_the_publish_right_is_refused(writer, draft):
    submit(writer, draft)
    other_writer = signed_in("otto", perms=WRITER_PERMS)
    refused = decide(other_writer, draft, "approve")
    assert refused.status_code == 403
    assert "do not have permission to publish posts" in refused.content.decode()
    assert the_review(draft).state == ReviewState.IN_REVIEW


def test_a_second_editor_approves_and_publishes_in_one_step(writer, reviewer, draft):
    submit(writer, draft)
    form = reviewer.get(change_url(draft)).content.decode()
    assert "Approve and publish" in form
    response = decide(reviewer, draft, "approve_publish", comment="Amounts checked.")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_live
    review = the_review(draft)
    assert (review.state, review.decided_by.username, review.comment, review.published) == (
        ReviewState.APPROVED, "rita", "Amounts checked.", True,
    )  # fmt: skip


def test_approving_a_future_dated_item_schedules_it(writer, reviewer):
    when = timezone.now() + timedelta(days=2)
    post = make_post(status=Status.DRAFT, publish_at=when)
    submit(writer, post)
    assert "Approve and schedule for" in reviewer.get(change_url(post)).content.decode()
    decide(reviewer, post, "approve_publish")
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED and not post.is_live
    assert "scheduled" in reviewer.get(change_url(post), follow=True).content.decode().lower()


def test_approve_only_records_the_approval_and_leaves_it_unpublished(writer, reviewer, draft):
    submit(writer, draft)
    decide(reviewer, draft, "approve")
    assert the_review(draft).state == ReviewState.APPROVED
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT
    assert "Approved by rita" in writer.get(change_url(draft)).content.decode()


def test_approving_a_version_that_changed_after_it_was_opened_is_refused(writer, reviewer, draft):
    submit(writer, draft)
    token = edit_token(draft)
    Post.objects.filter(pk=draft.pk).update(title="Changed by a script", updated_at=timezone.now())
    data = {"_review": "approve_publish", "review": the_review(draft).pk, "token": token}
    refused = reviewer.post(review_url(draft), data)
    assert refused.status_code == 409
    assert "changed after you opened it" in refused.content.decode()
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT


def test_sending_back_needs_a_reason_and_the_reason_reaches_the_writers_form(
    writer, reviewer, draft
):
    submit(writer, draft)
    refused = decide(reviewer, draft, "send_back", comment="  ")
    assert refused.status_code == 400
    assert "sending back needs a reason" in refused.content.decode()
    decide(reviewer, draft, "send_back", comment="The deadline is the 14th, not the 4th.")
    form = writer.get(change_url(draft)).content.decode()
    assert "<strong>Sent back</strong> by rita" in form
    assert "The deadline is the 14th, not the 4th." in form
    assert 'name="_publishing"' in form  # editable again


def test_a_live_items_unpublished_changes_are_what_is_submitted_and_published(writer, reviewer):
    post = make_post(title="Live title")
    nothing = writer.post(review_url(post), {"_review": "submit"})
    assert nothing.status_code == 400
    assert "nothing new to review" in nothing.content.decode()

    writer.post(
        change_url(post), admin_post_data(post, title="Better title", _publishing="changes_draft")
    )
    submit(writer, post)
    assert the_review(post).of_changes
    assert Post.objects.get(pk=post.pk).title == "Live title"  # readers keep the live page
    assert (
        "Live + unpublished changes · In review"
        in reviewer.get("/admin/news/post/").content.decode()
    )
    decide(reviewer, post, "approve_publish")
    assert Post.objects.get(pk=post.pk).title == "Better title"
    assert working_copy_find(item=post) is None


def test_a_named_reviewer_who_cannot_publish_is_refused(writer, draft):
    from django.contrib.auth.models import User

    otto = User.objects.create_user("otto", is_staff=True)
    refused = writer.post(review_url(draft), {"_review": "submit", "reviewer": otto.pk})
    assert refused.status_code == 400
    assert "cannot publish posts" in refused.content.decode()
    bad_date = writer.post(review_url(draft), {"_review": "submit", "due_on": "14/13/2026"})
    assert bad_date.status_code == 400
    assert "not a date" in bad_date.content.decode()
    assert not Review.objects.exists()


def test_reports_are_reviewed_the_same_way(reviewer):
    writer = signed_in("wendy", perms=["change_report", "view_report"])
    report = make_report(status=Status.DRAFT, publish_at=None)
    submit(writer, report)
    assert "Draft · In review" in reviewer.get("/admin/reports/report/").content.decode()
    decide(reviewer, report, "approve_publish")
    report.refresh_from_db()
    assert report.is_live


def test_a_get_of_the_review_address_is_not_allowed(reviewer, draft):
    assert reviewer.get(review_url(draft)).status_code == 405


def test_the_reviewer_sees_what_was_submitted_as_readers_will(writer, reviewer):
    post = make_post(title="Live title")
    writer.post(
        change_url(post), admin_post_data(post, title="Better title", _publishing="changes_draft")
    )
    submit(writer, post)
    form = reviewer.get(change_url(post)).content.decode()
    assert "See it as readers will" in form
    page = reviewer.get(review_url(post) + "reading/")
    assert page.status_code == 200
    assert "Better title" in page.content.decode()
    assert "no-store" in page["Cache-Control"] and page["X-Robots-Tag"] == "noindex, nofollow"
    stranger = signed_in("sam")
    assert stranger.get(review_url(post) + "reading/").status_code == 403


@pytest.mark.parametrize("value", ["abc", "", "99999999", "1e3", "9" * 40])
def test_a_tampered_review_number_gets_a_clear_4xx(writer, reviewer, draft, value):
    submit(writer, draft)
    data = {"_review": "approve_publish", "review": value, "token": edit_token(draft)}
    response = reviewer.post(review_url(draft), data)
    assert response.status_code == 409
    assert "no longer open" in response.content.decode()
    assert reviewer.post(review_url(draft), {"_review": "explode"}).status_code == 400


def test_a_tampered_reviewer_number_gets_a_clear_4xx(writer, draft):
    for value in ("abc", "9" * 40, "-1"):
        response = writer.post(review_url(draft), {"_review": "submit", "reviewer": value})
        assert response.status_code == 400
        assert "no such reviewer" in response.content.decode()


def test_the_change_form_reads_the_item_s_reviews_twice_and_its_edit_token_once(
    writer, draft, django_assert_max_num_queries
):
    def form_queries():
        with django_assert_max_num_queries(200) as queries:
            assert writer.get(change_url(draft)).status_code == 200
        return [query["sql"] for query in queries.captured_queries]

    for sql in (form_queries(), submit(writer, draft) and form_queries()):
        # The open review (asked by the frozen check and the panel), the latest decision.
        assert sum(q.startswith('SELECT "review_review".') for q in sql) == 2
        # The edit token's row read (its last save), once: the form's, reused by the panel.
        assert sum('SELECT "news_post"."updated_at"' in q for q in sql) == 1
