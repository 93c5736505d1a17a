"""The review record (issue 28): emails through the outbox to a real SMTP server, the item's
history, the "Waiting for review" list, and publishing without review with a reason."""

import pytest

from news.models import Post
from publishing.models import Status
from review.models import Review, ReviewMail, ReviewState
from tests.factories import make_post, make_staff, signed_in
from tests.review.test_review_flow import WRITER_PERMS, change_url, decide, review_url, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer():
    return signed_in("wendy", perms=WRITER_PERMS)


@pytest.fixture
def reviewer():
    return signed_in("rita", groups=["Editors"])


@pytest.fixture
def draft():
    return make_post(status=Status.DRAFT, publish_at=None, title="Funding round opens")


def bodies(smtp_server):
    return [m.get_body(("plain",)).get_content() for m in smtp_server.messages]


def test_submitting_emails_the_named_reviewer_and_a_send_back_emails_the_writer(
    writer, reviewer, draft, smtp_server, django_capture_on_commit_callbacks
):
    rita = Review._meta.get_field("reviewer").related_model.objects.get(username="rita")
    make_staff("rob", groups=["Editors"])  # may review, but was not asked
    with django_capture_on_commit_callbacks(execute=True):
        submit(writer, draft, reviewer=rita.pk, due_on="2030-01-14", message="Amounts, please.")
    assert [rcpt for _, rcpt in smtp_server.envelopes] == [["rita@example.org"]]
    assert smtp_server.messages[0]["Subject"] == "Please review: Funding round opens"
    assert (
        "wendy asks you to review the post “Funding round opens” by 14/01/2030"
        in bodies(smtp_server)[0]
    )
    assert "Their note: Amounts, please." in bodies(smtp_server)[0]

    with django_capture_on_commit_callbacks(execute=True):
        decide(reviewer, draft, "send_back", comment="The deadline is the 14th.")
    assert smtp_server.envelopes[1][1] == ["wendy@example.org"]
    assert smtp_server.messages[1]["Subject"] == "Sent back: Funding round opens"
    assert "What needs changing: The deadline is the 14th." in bodies(smtp_server)[1]
    assert set(ReviewMail.objects.values_list("state", flat=True)) == {"sent"}


def test_without_a_named_reviewer_everyone_who_may_publish_is_asked_but_the_writer(
    draft, smtp_server, django_capture_on_commit_callbacks
):
    make_staff("rob", groups=["Editors"])
    make_staff("rita", groups=["Editors"])
    make_staff("otto", perms=WRITER_PERMS)  # may not publish: not asked
    pat = signed_in("pat", groups=["Editors"])
    with django_capture_on_commit_callbacks(execute=True):
        submit(pat, draft)
    assert sorted(rcpt[0] for _, rcpt in smtp_server.envelopes) == [
        "rita@example.org", "rob@example.org",
    ]  # fmt: skip


def test_approval_emails_the_writer(
    writer, reviewer, draft, smtp_server, django_capture_on_commit_callbacks
):
    submit(writer, draft)
    with django_capture_on_commit_callbacks(execute=True):
        decide(reviewer, draft, "approve_publish", comment="Good to go.")
    assert smtp_server.envelopes[-1][1] == ["wendy@example.org"]
    assert smtp_server.messages[-1]["Subject"] == "Approved and published: Funding round opens"
    assert "Their comment: Good to go." in bodies(smtp_server)[-1]


def test_the_history_shows_who_submitted_and_who_reviewed_with_their_words(writer, reviewer, draft):
    submit(writer, draft, message="First go.")
    decide(reviewer, draft, "send_back", comment="Check the amounts.")
    submit(writer, draft, message="Fixed.")
    decide(reviewer, draft, "approve_publish")
    history = reviewer.get(f"/admin/news/post/{draft.pk}/history/").content.decode()
    assert "Review record" in history
    assert history.count("<td>wendy</td>") == 2 and history.count("<td>rita</td>") == 2
    assert "Sent back" in history and "Approved (published)" in history
    assert "Comment: Check the amounts." in history and "Note: Fixed." in history
    # The publication itself is in the versions, saying who approved it.
    assert "Approved by rita" in history


def test_the_waiting_list_shows_only_what_i_may_review(writer, reviewer, draft):
    other = make_post(status=Status.DRAFT, publish_at=None, title="Own work")
    submit(writer, draft)
    submit(reviewer, other)
    mine = reviewer.get("/admin/review/review/?which=mine").content.decode()
    assert "Funding round opens" in mine and "Own work" not in mine
    # A writer who may not publish posts sees only their own submissions.
    theirs = writer.get("/admin/review/review/")
    assert theirs.status_code == 403  # not an editor: no reviews list at all
    assert "Waiting for my review" in reviewer.get("/admin/review/review/").content.decode()


def test_sent_back_to_me_lists_the_writers_returned_items(reviewer, draft):
    pat = signed_in("pat", groups=["Editors"])
    submit(pat, draft)
    decide(reviewer, draft, "send_back", comment="No.")
    assert (
        "Funding round opens" in pat.get("/admin/review/review/?which=sent_back").content.decode()
    )
    assert (
        "Funding round opens"
        not in reviewer.get("/admin/review/review/?which=sent_back").content.decode()
    )


def test_publishing_without_review_needs_the_permission_and_a_reason(draft):
    editor = signed_in("pat", groups=["Editors"])
    refused = editor.post(review_url(draft), {"_review": "force", "reason": "Urgent"})
    assert refused.status_code == 403
    assert "permission to publish without review" in refused.content.decode()

    boss = signed_in("bea", groups=["Editors"], perms=["publish_without_review"])
    assert "Publish without review" in boss.get(change_url(draft)).content.decode()
    no_reason = boss.post(review_url(draft), {"_review": "force", "reason": " "})
    assert no_reason.status_code == 400
    assert "Give the reason" in no_reason.content.decode()
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT

    boss.post(review_url(draft), {"_review": "force", "reason": "Ministerial deadline today"})
    assert Post.objects.get(pk=draft.pk).is_live
    assert "Published · Published without review" in boss.get("/admin/news/post/").content.decode()
    flagged = Review.objects.get(state=ReviewState.UNREVIEWED)
    assert flagged.message == "Ministerial deadline today"


def test_the_flag_stays_until_someone_else_checks_it_afterwards(reviewer, draft):
    boss = signed_in("bea", groups=["Editors"], perms=["publish_without_review"])
    boss.post(review_url(draft), {"_review": "force", "reason": "Urgent"})
    flagged = Review.objects.get()
    own = boss.post(review_url(draft), {"_review": "check_after", "review": flagged.pk})
    assert own.status_code == 403
    assert "You are not the second set of eyes" in own.content.decode()

    listed = reviewer.get("/admin/review/review/?which=unreviewed").content.decode()
    assert "Funding round opens" in listed
    reviewer.post(review_url(draft), {"_review": "check_after", "review": flagged.pk})
    flagged.refresh_from_db()
    assert (flagged.state, flagged.decided_by.username) == (ReviewState.CHECKED_AFTER, "rita")
    assert "· Published without review" not in reviewer.get("/admin/news/post/").content.decode()


def test_checking_afterwards_can_send_back_and_unpublish_with_a_reason(reviewer, draft):
    boss = signed_in("bea", groups=["Editors"], perms=["publish_without_review"])
    boss.post(review_url(draft), {"_review": "force", "reason": "Urgent"})
    flagged = Review.objects.get()
    data = {"_review": "check_unpublish", "review": flagged.pk, "comment": ""}
    assert reviewer.post(review_url(draft), data).status_code == 400
    data["comment"] = "Wrong amount"
    reviewer.post(review_url(draft), data)
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT
    flagged.refresh_from_db()
    assert flagged.state == ReviewState.SENT_BACK


def test_a_forced_publication_closes_the_open_review(reviewer, draft):
    writer = signed_in("wendy", perms=WRITER_PERMS)
    submit(writer, draft)
    boss = signed_in("bea", groups=["Editors"], perms=["publish_without_review"])
    boss.post(review_url(draft), {"_review": "force", "reason": "Urgent"})
    states = sorted(Review.objects.values_list("state", flat=True))
    assert states == [ReviewState.UNREVIEWED, ReviewState.WITHDRAWN]


def test_the_admin_home_counts_what_waits_each_a_link_to_its_list(writer, reviewer, draft):
    submit(writer, draft)
    home = reviewer.get("/admin/").content.decode()
    assert '<a href="/admin/review/review/?which=mine">Waiting for my review: 1</a>' in home
    assert "Sent back to me: 0" in home and "Overdue reviews: 0" in home
    decide(reviewer, draft, "send_back", comment="No.")
    pat_home = reviewer.get("/admin/").content.decode()
    assert "Waiting for my review: 0" in pat_home
    # The writer, not an editor, has no reviews list and so no counts.
    assert "Waiting for my review" not in writer.get("/admin/").content.decode()


def test_sent_back_counts_only_until_it_is_submitted_again(reviewer, draft):
    pat = signed_in("pat", groups=["Editors"])
    submit(pat, draft)
    decide(reviewer, draft, "send_back", comment="No.")
    assert "Sent back to me: 1" in pat.get("/admin/").content.decode()
    submit(pat, draft)
    assert "Sent back to me: 0" in pat.get("/admin/").content.decode()
