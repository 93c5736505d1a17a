"""The two-person rule (REVIEW_REQUIRED): with it on for a type, nothing of that type goes live
without a second person's approval of it as it is, on any path (form, bulk action, approval,
publishing without review); imports run as the system and are exempt. Off, nothing changes."""

import pytest

from news.models import Post
from publishing.models import Status
from publishing.services import PublishRefused, publishable_save
from review.models import ReviewState
from tests.factories import admin_post_data, make_post, make_report, signed_in
from tests.review.test_review_flow import change_url, decide, review_url, submit, the_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.REVIEW_REQUIRED = ["news.post"]


@pytest.fixture
def pat():
    return signed_in("pat", groups=["Editors"])


@pytest.fixture
def rita():
    return signed_in("rita", groups=["Editors"])


@pytest.fixture
def draft():
    return make_post(status=Status.DRAFT, publish_at=None, title="Funding round opens")


def publish_by_form(client, post, **changes):
    return client.post(change_url(post), admin_post_data(post, _publishing="publish", **changes))


def bulk_publish(client, post):
    data = {"action": "publish_selected", "_selected_action": [post.pk]}
    return client.post("/admin/news/post/", data, follow=True)


def test_without_the_setting_an_editor_publishes_their_own_post_as_before(pat, draft):
    assert publish_by_form(pat, draft).status_code == 302
    assert Post.objects.get(pk=draft.pk).is_live


def test_with_it_on_publishing_an_unreviewed_post_is_refused_on_the_form(required, pat, draft):
    response = publish_by_form(pat, draft)
    assert response.status_code == 200  # the form again, with the reason
    assert "needs a second person&#x27;s approval before it goes live" in response.content.decode()
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT


def test_with_it_on_the_bulk_action_is_refused_too(required, pat, draft):
    response = bulk_publish(pat, draft)
    assert "needs a second person&#x27;s approval" in response.content.decode()
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_new_post_cannot_be_published_on_its_first_save(required, pat):
    response = pat.post("/admin/news/post/add/", admin_post_data(_publishing="publish"))
    assert response.status_code == 200
    assert not Post.objects.exists()


def test_the_setting_names_types_so_reports_are_untouched(required, pat):
    report = make_report(status=Status.DRAFT, publish_at=None)
    data = {"action": "publish_selected", "_selected_action": [report.pk]}
    pat.post("/admin/reports/report/", data)
    report.refresh_from_db()
    assert report.is_live


def test_after_approval_the_writer_still_cannot_publish_but_a_third_person_can(
    required, pat, rita, draft
):
    submit(pat, draft)
    decide(rita, draft, "approve")
    response = bulk_publish(pat, draft)
    assert "You are not the second set of eyes" in response.content.decode()
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT
    rob = signed_in("rob", groups=["Editors"])
    bulk_publish(rob, draft)
    assert Post.objects.get(pk=draft.pk).is_live


def test_approve_and_publish_goes_through_with_the_rule_on(required, pat, rita, draft):
    submit(pat, draft)
    assert decide(rita, draft, "approve_publish").status_code == 302
    assert Post.objects.get(pk=draft.pk).is_live


def test_a_change_after_approval_needs_approval_again(required, pat, rita, draft):
    submit(pat, draft)
    decide(rita, draft, "approve")
    pat.post(change_url(draft), admin_post_data(draft, title="Edited after", _publishing="draft"))
    rob = signed_in("rob", groups=["Editors"])
    response = bulk_publish(rob, draft)
    assert "changed after it was approved" in response.content.decode()
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT


def test_editing_and_publishing_in_one_save_after_approval_is_refused(required, pat, rita, draft):
    submit(pat, draft)
    decide(rita, draft, "approve")
    response = publish_by_form(rita, draft, title="Rita's own edit")
    assert (
        "Your edits to this post need a second person&#x27;s approval" in response.content.decode()
    )
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT


def test_publishing_without_review_with_a_reason_goes_through_with_the_rule_on(required, draft):
    bea = signed_in("bea", groups=["Editors"], perms=["publish_without_review"])
    bea.post(review_url(draft), {"_review": "force", "reason": "Ministerial deadline"})
    assert Post.objects.get(pk=draft.pk).is_live
    assert the_review(draft).state == ReviewState.UNREVIEWED


def test_imports_run_as_the_system_and_are_exempt(required, draft):
    draft.status = Status.PUBLISHED
    publishable_save(item=draft, user=None)
    assert Post.objects.get(pk=draft.pk).is_live


def test_code_publishing_as_a_user_follows_the_rule(required, draft):
    from django.contrib.auth.models import User

    pat = User.objects.create_superuser("boss", "boss@example.org", None)
    draft.status = Status.PUBLISHED
    with pytest.raises(PublishRefused, match="second person"):
        publishable_save(item=draft, user=pat)


def test_an_item_in_review_is_not_published_by_a_bulk_action_even_with_the_rule_off(pat, draft):
    writer = signed_in("wendy", perms=["add_post", "change_post", "view_post"])
    submit(writer, draft)
    response = bulk_publish(pat, draft)
    assert "is in review. Nothing was published" in response.content.decode()
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT
