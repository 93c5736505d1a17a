"""Comments on an item (issue 28): by writers and reviewers, optionally about a field, shown
beside the form, resolved by a click, kept with the item's history."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.utils.timezone import now

from publishing.models import Status
from review.models import ReviewComment
from tests.factories import make_post, signed_in
from tests.review.test_review_flow import WRITER_PERMS, change_url, review_url, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_post(status=Status.DRAFT, publish_at=None, title="Funding round opens")


def wendy_id():
    return User.objects.get(username="wendy").pk


def comment(client, item, text, field=""):
    return client.post(review_url(item), {"_review": "comment", "text": text, "field": field})


def field_row(html, name):
    """The form row of field `name` on a change form, as parsed HTML."""
    rows = BeautifulSoup(html, "html.parser").select(f"div.form-row.field-{name}")
    assert len(rows) == 1, f"no single row for {name}"
    return rows[0]


def test_a_reviewers_comment_on_a_field_shows_beside_that_field_until_resolved(draft):
    wendy = signed_in("wendy", perms=WRITER_PERMS)
    rita = signed_in("rita", groups=["Editors"])
    submit(wendy, draft)
    assert comment(rita, draft, "Is it the 14th or the 4th?", field="standfirst").status_code == 302
    form = wendy.get(change_url(draft)).content.decode()
    assert "Comments (1 open)" in form
    # Beside the standfirst (its form is read-only while in review), not beside the title.
    standfirst = field_row(form, "standfirst").get_text(" ", strip=True)
    assert "Review comments on standfirst: 1 unresolved" in standfirst
    assert "Unresolved · rita" in standfirst and "Is it the 14th or the 4th?" in standfirst
    assert "Is it the 14th" not in field_row(form, "title").get_text()
    # The panel points to it.
    panel = BeautifulSoup(form, "html.parser").select_one("#review-panel")
    assert panel.select_one('a[href="#review-notes-standfirst"]').get_text() == "Standfirst"

    note = ReviewComment.objects.get()
    response = wendy.post(
        review_url(draft), {"_review": "resolve", "comment_id": note.pk}, follow=True
    )
    assert "Comment resolved." in response.content.decode()
    form = wendy.get(change_url(draft)).content.decode()
    assert "No open comments. 1 resolved: see History." in form
    standfirst = field_row(form, "standfirst").get_text(" ", strip=True)
    assert "0 unresolved, 1 resolved" in standfirst
    assert "Resolved by wendy" in standfirst and "Is it the 14th or the 4th?" in standfirst
    history = wendy.get(f"/admin/news/post/{draft.pk}/history/").content.decode()
    assert "Is it the 14th or the 4th?" in history and "wendy," in history


def test_the_resolve_button_beside_a_field_resolves_that_comment(draft):
    rita = signed_in("rita", groups=["Editors"])
    comment(rita, draft, "Shorter, please.", field="title")
    comment(rita, draft, "Which fund?", field="standfirst")
    title_note = ReviewComment.objects.get(field="title")
    page = BeautifulSoup(rita.get(change_url(draft)).content.decode(), "html.parser")
    button = field_row(str(page), "title").select_one("button[value=resolve]")
    assert button.get_text(" ", strip=True) == "Resolve the comment by rita on title"
    # The button sits inside the item's form, so it names a form of its own, outside it.
    target = page.select_one(f"form#{button['form']}")
    assert target is not None and target.find_parent("form") is None
    data = {i["name"]: i["value"] for i in target.select("input")}
    data[button["name"]] = button["value"]
    assert data["comment_id"] == str(title_note.pk)
    assert rita.post(review_url(draft), data).status_code == 302
    title_note.refresh_from_db()
    assert title_note.resolved_by.username == "rita"
    assert ReviewComment.objects.get(field="standfirst").resolved_at is None


def test_a_fields_input_is_described_by_its_open_comments(draft):
    wendy = signed_in("wendy", perms=WRITER_PERMS)
    rita = signed_in("rita", groups=["Editors"])
    comment(rita, draft, "Is it the 14th or the 4th?", field="standfirst")
    comment(rita, draft, "Fine now.", field="standfirst")
    ReviewComment.objects.filter(text="Fine now.").update(
        resolved_by_id=wendy_id(), resolved_at=now()
    )
    page = BeautifulSoup(wendy.get(change_url(draft)).content.decode(), "html.parser")
    field = page.select_one("#id_standfirst")
    ids = field["aria-describedby"].split()
    described = " ".join(page.select_one(f"#{i}").get_text(" ", strip=True) for i in ids)
    assert "Review comments on standfirst: 1 unresolved, 1 resolved" in described
    assert "Is it the 14th or the 4th?" in described and "Fine now." not in described
    # Its help text still describes it too, as Django would have said alone.
    if field.find_parent("div", class_="form-row").select_one(".help"):
        assert "id_standfirst_helptext" in ids
    # A field without comments is left as Django makes it.
    assert "review-notes" not in page.select_one("#id_title").get("aria-describedby", "")


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


def test_comments_beside_fields_cost_no_query_per_comment(draft, django_assert_max_num_queries):
    rita = signed_in("rita", groups=["Editors"])
    comment(rita, draft, "One.", field="title")
    # Measured: 26 queries with one comment (with the recent images and the readers' chart),
    # and as many with thirteen.
    with django_assert_max_num_queries(26):
        rita.get(change_url(draft))
    for n in range(12):
        comment(rita, draft, f"More {n}.", field=["title", "standfirst", "body"][n % 3])
    with django_assert_max_num_queries(26):
        page = rita.get(change_url(draft)).content.decode()
    assert page.count('class="review-field-comment"') == 13
