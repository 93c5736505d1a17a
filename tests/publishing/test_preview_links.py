"""Signed preview links: show a draft to someone without a login, for seven days at most."""

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from publishing.models import PREVIEW_SALT, PreviewLink, Status
from tests.factories import make_post, make_report, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_user():
    return make_staff("ed", groups=["Editors"])


def _create_link(client, editor_user, item, changelist="admin:news_post_changelist"):
    client.force_login(editor_user)
    response = client.post(
        reverse(changelist),
        {"action": "create_preview_links", "_selected_action": [item.pk]},
        follow=True,
    )
    client.logout()
    link = PreviewLink.objects.get(object_id=item.pk)
    # The editor is shown the absolute link to pass on; the tests use what they were shown.
    shown = re.search(r'<a href="https?://[^/"]+(/preview/[^"]+)"', response.content.decode())
    link.shown_url = shown.group(1)
    return link


def test_someone_without_a_login_sees_a_draft_through_a_preview_link(client, editor_user):
    draft = make_post(title="Embargoed news", status=Status.DRAFT)
    link = _create_link(client, editor_user, draft)
    response = client.get(link.shown_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Embargoed news" in page and "Not public." in page
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_preview_link_works_for_a_scheduled_report_too(client, editor_user):
    report = make_report(publish_at=timezone.now() + timedelta(days=5))
    link = _create_link(client, editor_user, report, "admin:reports_report_changelist")
    assert client.get(link.shown_url).status_code == 200


def test_a_preview_link_stops_working_once_revoked(client, editor_user):
    draft = make_post(status=Status.DRAFT)
    link = _create_link(client, editor_user, draft)
    client.force_login(editor_user)
    client.post(
        reverse("admin:publishing_previewlink_changelist"),
        {"action": "revoke", "_selected_action": [link.pk]},
    )
    client.logout()
    assert client.get(link.shown_url).status_code == 404


def test_a_preview_link_stops_working_when_the_item_is_deleted(client, editor_user):
    draft = make_post(status=Status.DRAFT)
    link = _create_link(client, editor_user, draft)
    url = link.shown_url
    draft.delete()
    assert not PreviewLink.objects.filter(pk=link.pk).exists()  # the row dies with the item
    assert client.get(url).status_code == 404


def test_a_preview_link_expires_after_seven_days(client, editor_user):
    draft = make_post(status=Status.DRAFT)
    link = _create_link(client, editor_user, draft)
    assert link.expires_at - timezone.now() > timedelta(days=6, hours=23)
    link.expires_at = timezone.now() - timedelta(seconds=1)
    link.save()
    assert client.get(link.shown_url).status_code == 404


def test_a_token_signed_eight_days_ago_is_refused_even_if_the_row_says_otherwise(client):
    draft = make_post(status=Status.DRAFT)
    link = PreviewLink.objects.create(item=draft, expires_at=timezone.now() + timedelta(days=30))

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)

    old_token = EightDaysAgo(salt=PREVIEW_SALT).sign_object(link.pk)
    assert client.get(reverse("publishing:preview", args=[old_token])).status_code == 404
    assert client.get(link.get_absolute_url()).status_code == 200  # a fresh one still works


def test_a_tampered_token_is_a_404(client):
    draft = make_post(status=Status.DRAFT)
    link = PreviewLink.objects.create(item=draft, expires_at=timezone.now() + timedelta(days=7))
    token = link.token
    forged = signing.dumps(link.pk + 1, salt="another-salt")
    assert client.get(reverse("publishing:preview", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("publishing:preview", args=[forged])).status_code == 404


def test_a_preview_link_shows_only_its_own_item(client):
    draft = make_post(title="The one linked", status=Status.DRAFT)
    other = make_post(title="Another draft", status=Status.DRAFT)
    link = PreviewLink.objects.create(item=draft, expires_at=timezone.now() + timedelta(days=7))
    page = client.get(link.get_absolute_url()).content.decode()
    assert "The one linked" in page and "Another draft" not in page
    assert client.get(other.get_absolute_url()).status_code == 404


def test_the_preview_page_has_a_fixed_query_budget(client, django_assert_max_num_queries):
    draft = make_post(status=Status.DRAFT)
    link = PreviewLink.objects.create(item=draft, expires_at=timezone.now() + timedelta(days=7))
    with django_assert_max_num_queries(6):
        assert client.get(link.get_absolute_url()).status_code == 200


def test_editors_find_live_links_again_in_the_preview_link_list(client, editor_user):
    draft = make_post(title="Embargoed news", status=Status.DRAFT)
    link = _create_link(client, editor_user, draft)
    client.force_login(editor_user)
    page = client.get(reverse("admin:publishing_previewlink_changelist")).content.decode()
    assert "Embargoed news" in page
    listed = re.search(r'<a href="https?://[^/"]+(/preview/[^"]+/)">', page).group(1)
    # The listed link itself opens the preview, for someone without a login.
    client.logout()
    response = client.get(listed)
    assert response.status_code == 200
    assert "Embargoed news" in response.content.decode()
    assert "Not public." in response.content.decode()
    link.revoked_at = timezone.now()
    link.save()
    client.force_login(editor_user)
    page = client.get(reverse("admin:publishing_previewlink_changelist")).content.decode()
    assert "/preview/" not in page
