"""The review log is complete whatever REVIEW_REQUIRED says (issue 28): every publish, schedule
and unpublish, by anyone on any path, is a row saying who, when and what; a review action that
publishes is recorded once, by its own row."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Post
from publishing.models import Status
from publishing.services import publishable_save
from review.models import Review, ReviewState
from review.services import review_publish_without_review
from tests.factories import admin_post_data, make_post, make_staff, signed_in
from tests.review.test_review_flow import WRITER_PERMS, change_url, decide, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pat():
    return signed_in("pat", groups=["Editors"])


@pytest.fixture
def draft():
    return make_post(status=Status.DRAFT, publish_at=None, title="Funding round opens")


def log():
    return list(
        Review.objects.filter(state__in=["published", "scheduled", "unpublished", "times_changed"])
        .order_by("pk")
        .values_list("state", "submitted_by__username", "item_title", "message")
    )


def bulk(client, action, post):
    data = {"action": action, "_selected_action": [post.pk]}
    return client.post("/admin/news/post/", data, follow=True)


def test_with_review_off_publishing_and_unpublishing_on_the_form_are_logged(pat, draft):
    before = timezone.now()
    response = pat.post(change_url(draft), admin_post_data(draft, _publishing="publish"))
    assert response.status_code == 302 and Post.objects.get(pk=draft.pk).is_live
    draft.refresh_from_db()
    pat.post(change_url(draft), admin_post_data(draft, _publishing="unpublish"))
    assert not Post.objects.get(pk=draft.pk).is_live
    assert log() == [
        ("published", "pat", "Funding round opens", "Published (on its form)"),
        ("unpublished", "pat", "Funding round opens", "Unpublished (on its form)"),
    ]
    row = Review.objects.filter(state=ReviewState.PUBLISHED).get()
    assert row.submitted_at >= before and row.published
    # In the log's own list, with its action filter.
    page = pat.get("/admin/review/review/?state__exact=published").content.decode()
    assert "Funding round opens" in page and "Published (on its form)" in page


def test_a_draft_save_is_not_a_publication_and_is_not_logged(pat, draft):
    pat.post(change_url(draft), admin_post_data(draft, title="Better title", _publishing="draft"))
    assert Post.objects.get(pk=draft.pk).title == "Better title"
    assert log() == []


def test_scheduling_and_bulk_actions_are_logged_with_their_path(pat, draft):
    later = timezone.localtime(timezone.now() + timedelta(days=3)).replace(microsecond=0)
    data = admin_post_data(draft, _publishing="publish")
    data["publish_at_0"], data["publish_at_1"] = f"{later:%d/%m/%Y}", f"{later:%H:%M:%S}"
    assert pat.post(change_url(draft), data).status_code == 302
    other = make_post(status=Status.DRAFT, publish_at=None, title="Second item")
    assert "Published" in bulk(pat, "publish_selected", other).content.decode()
    bulk(pat, "unpublish_selected", other)
    rows = log()
    assert rows[0][:3] == ("scheduled", "pat", "Funding round opens")
    assert rows[0][3] == f"Scheduled for {later:%d/%m/%Y %H:%M} (on its form)"
    assert rows[1:] == [
        ("published", "pat", "Second item", "Published (bulk action)"),
        ("unpublished", "pat", "Second item", "Unpublished (bulk action)"),
    ]


def test_publishing_by_code_and_by_the_system_is_logged(draft):
    editor = make_staff("ed", groups=["Editors"])
    draft.status = Status.PUBLISHED
    publishable_save(item=draft, user=editor, comment="by a script")
    imported = make_post(status=Status.DRAFT, publish_at=None, title="Imported item")
    imported.status = Status.PUBLISHED
    publishable_save(item=imported, user=None, comment="Imported from WordPress")
    assert log() == [
        ("published", "ed", "Funding round opens", "Published (by a script)"),
        ("published", None, "Imported item", "Published (Imported from WordPress)"),
    ]
    # The export names the system "—" and says it was published.
    auditor = signed_in("ada", groups=["Editors"], perms=["export_review"])
    pks = list(Review.objects.values_list("pk", flat=True))
    response = auditor.post(
        "/admin/review/review/", {"action": "export_csv", "_selected_action": pks}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    system = next(row for row in rows if row[2] == "Imported item")
    assert system[4] == "Published" and system[5] == "—" and system[-1] == "yes"


def test_publishing_live_changes_is_logged(pat):
    live = make_post(status=Status.PUBLISHED, title="Live item")
    data = admin_post_data(live, standfirst="A corrected standfirst.", _publishing="publish")
    assert pat.post(change_url(live), data).status_code == 302
    assert Post.objects.get(pk=live.pk).standfirst == "A corrected standfirst."
    assert log() == [("published", "pat", "Live item", "Changes published (on its form)")]


def test_a_review_that_publishes_is_recorded_once_by_its_own_row(pat, draft):
    wendy = signed_in("wendy", perms=WRITER_PERMS)
    submit(wendy, draft)
    decide(pat, draft, "approve_publish")
    assert Post.objects.get(pk=draft.pk).is_live
    assert log() == []
    approved = Review.objects.get(state=ReviewState.APPROVED)
    assert approved.published and approved.decided_by.username == "pat"


def test_with_review_on_publishing_without_review_is_one_row_and_a_refusal_none(settings, draft):
    settings.REVIEW_REQUIRED = ["news.post"]
    bea = make_staff("bea", groups=["Editors"], perms=["publish_without_review"])
    review_publish_without_review(item=draft, user=bea, reason="Ministerial deadline")
    assert list(Review.objects.values_list("state", flat=True)) == [ReviewState.UNREVIEWED]
    # A refused publication changes nothing, so it is not logged.
    other = make_post(status=Status.DRAFT, publish_at=None, title="Unreviewed")
    pat = signed_in("pat", groups=["Editors"])
    refused = pat.post(change_url(other), admin_post_data(other, _publishing="publish"))
    assert refused.status_code == 200 and not Post.objects.get(pk=other.pk).is_live
    assert log() == []
    # Unpublishing needs no second person, and is logged with review on too.
    draft.refresh_from_db()
    pat.post(change_url(draft), admin_post_data(draft, _publishing="unpublish"))
    assert log() == [("unpublished", "pat", "Funding round opens", "Unpublished (on its form)")]


def test_log_rows_do_not_hide_a_send_back_from_the_writer(pat, draft):
    wendy = signed_in("wendy", perms=WRITER_PERMS)
    submit(wendy, draft)
    decide(pat, draft, "send_back", comment="Check the amounts.")
    other = signed_in("olga", groups=["Editors"])
    draft.refresh_from_db()
    other.post(change_url(draft), admin_post_data(draft, _publishing="publish"))
    assert log()[0][0] == "published"
    form = wendy.get(change_url(draft)).content.decode()
    assert "Check the amounts." in form
    from django.contrib.auth.models import User

    from review.admin import sent_back_to

    assert sent_back_to(User.objects.get(username="wendy")).count() == 1
