"""Comments on an item (issue 28): by writers and reviewers, optionally about a field, shown
beside the form, resolved by a click, kept with the item's history."""

import pytest

from publishing.models import Status
from review.models import ReviewComment
from tests.factories import make_post, signed_in
from tests.review.test_review_flow import WRITER_PERMS, change_url, review_url, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_post(status=Status.DRAFT, publish_at=None, title="Funding round opens")


def comment(client, item, text, field=""):
    return client.post(review_url(item), {"_review": "comment", "text": text, "field": field})


def test_a_reviewers_comment_on_a_field_shows_beside_the_writers_form_until_resolved(draft):
    wendy = signed_in("wendy", perms=WRITER_PERMS)
    rita = signed_in("rita", groups=["Editors"])
    submit(wendy, draft)
    assert comment(rita, draft, "Is it the 14th or the 4th?", field="standfirst").status_code == 302
    form = wendy.get(change_url(draft)).content.decode()
    assert "Comments (1 open)" in form
    assert "<strong>Standfirst:</strong> Is it the 14th or the 4th?" in form

    note = ReviewComment.objects.get()
    response = wendy.post(
        review_url(draft), {"_review": "resolve", "comment_id": note.pk}, follow=True
    )
    assert "Comment resolved." in response.content.decode()
    form = wendy.get(change_url(draft)).content.decode()
    assert "No open comments. 1 resolved: see History." in form
    history = wendy.get(f"/admin/news/post/{draft.pk}/history/").content.decode()
    assert "Is it the 14th or the 4th?" in history and "wendy," in history


def test_bad_comments_are_refused_with_a_message(draft):
    rita = signed_in("rita", groups=["Editors"])
    empty = comment(rita, draft, "  ")
    assert empty.status_code == 400 and "Write the comment first" in empty.content.decode()
    bad_field = comment(rita, draft, "Hm", field="password")
    assert bad_field.status_code == 400 and "Choose a field" in bad_field.content.decode()
    reader = signed_in("vic", perms=["view_post"])
    refused = comment(reader, draft, "Hello")
    assert refused.status_code == 403
    assert not ReviewComment.objects.exists()
    twice = rita.post(review_url(draft), {"_review": "resolve", "comment_id": "999"})
    assert twice.status_code == 409
