"""Ask an expert (issue 28): a signed, expiring, revocable link for someone without an account;
their answer is recorded on the item and emailed to the editor who asked; it never publishes."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from news.models import Post
from publishing.models import Status
from review.models import ExpertLink, Review, ReviewState
from tests.factories import make_post, signed_in
from tests.review.test_review_flow import review_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return signed_in("pat", groups=["Editors"])


@pytest.fixture
def draft():
    return make_post(status=Status.DRAFT, publish_at=None, title="Funding round opens")


def ask(editor, item, email="prof@university.example", **kwargs):
    return editor.post(review_url(item), {"_review": "expert", "email": email}, **kwargs)


def link_path(smtp_server):
    body = smtp_server.messages[-1].get_body(("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/review/expert/\S+/)", body).group(1)


def test_the_expert_is_emailed_a_link_and_answers_looks_right_which_reaches_the_editor(
    editor, draft, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(editor, draft, follow=True)
    assert "Asked prof@university.example for their view" in response.content.decode()
    assert smtp_server.envelopes[0][1] == ["prof@university.example"]
    path = link_path(smtp_server)

    expert = Client()
    page = expert.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Funding round opens" in html and "Looks right" in html
    assert "no-store" in page["Cache-Control"]
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert "csrftoken" not in page.cookies  # no cookie for someone without an account

    with django_capture_on_commit_callbacks(execute=True):
        answered = expert.post(path, {"verdict": "agrees", "comment": "Figures match."})
    assert "your answer was sent to the editor" in answered.content.decode()
    record = Review.objects.get(state=ReviewState.EXPERT_AGREES)
    assert record.comment == "Figures match."
    assert smtp_server.envelopes[-1][1] == ["pat@example.org"]
    assert (
        "Their comment: Figures match."
        in smtp_server.messages[-1].get_body(("plain",)).get_content()
    )
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT  # never publishes

    again = expert.post(path, {"verdict": "changes", "comment": "Wait"})
    assert again.status_code == 409
    history = editor.get(f"/admin/news/post/{draft.pk}/history/").content.decode()
    assert "Expert: looks right" in history and "Expert asked" in history


def test_needs_changes_needs_a_comment(editor, draft):
    ask(editor, draft)
    path = ExpertLink.objects.get().get_absolute_url()
    response = Client().post(path, {"verdict": "changes", "comment": " "})
    assert response.status_code == 400
    assert "Say what needs changing" in response.content.decode()
    assert not Review.objects.filter(state=ReviewState.EXPERT_CHANGES).exists()


def test_a_tampered_expired_or_revoked_link_says_so_with_a_404(editor, draft):
    ask(editor, draft)
    link = ExpertLink.objects.get()
    path = link.get_absolute_url()
    tampered = Client().get(path[:-3] + "xx/")
    assert tampered.status_code == 404
    assert "not valid, has expired or was revoked" in tampered.content.decode()

    ExpertLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(path).status_code == 404
    ExpertLink.objects.update(expires_at=timezone.now() + timedelta(days=1))
    assert Client().get(path).status_code == 200

    editor.post("/admin/review/expertlink/", {"action": "revoke", "_selected_action": [link.pk]})
    assert Client().get(path).status_code == 404
    assert Client().post(path, {"verdict": "agrees"}).status_code == 404


def test_a_link_used_after_the_item_changed_says_so_and_shows_the_current_version(editor, draft):
    ask(editor, draft)
    path = ExpertLink.objects.get().get_absolute_url()
    Post.objects.filter(pk=draft.pk).update(title="A newer title", updated_at=timezone.now())
    html = Client().get(path).content.decode()
    assert "It changed since the link was sent" in html
    assert "A newer title" in html


def test_a_bad_address_is_refused_with_a_message(editor, draft):
    response = ask(editor, draft, email="not an address")
    assert response.status_code == 400
    assert "Give the expert&#x27;s email address" in response.content.decode()
    assert not ExpertLink.objects.exists()


def test_a_cross_site_post_is_refused(editor, draft):
    ask(editor, draft)
    path = ExpertLink.objects.get().get_absolute_url()
    response = Client().post(path, {"verdict": "agrees"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert not Review.objects.filter(state=ReviewState.EXPERT_AGREES).exists()


def test_the_expert_page_has_a_query_budget(editor, draft, django_assert_max_num_queries):
    ask(editor, draft)
    path = ExpertLink.objects.get().get_absolute_url()
    expert = Client()
    with django_assert_max_num_queries(12):
        assert expert.get(path).status_code == 200
