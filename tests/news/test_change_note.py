"""Change notes: a major edit tells readers when and what; a minor one changes nothing they see."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import admin_post_data, make_post, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors_client(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


def _edit(client, post, **changes):
    return client.post(
        reverse("admin:news_post_change", args=[post.pk]), admin_post_data(post, **changes)
    )


def test_a_major_change_shows_updated_on_and_the_note(editors_client, client):
    post = make_post(body="<p>We awarded £2m.</p>")
    _edit(
        editors_client,
        post,
        body="<p>We awarded £3m.</p>",
        major_change="on",
        major_change_note="Corrected the funding total.",
    )
    page = client.get(post.get_absolute_url()).content.decode()
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert "Last updated: <time" in page and f">{today}</time>" in page
    assert "Corrected the funding total." in page
    assert page.index("Posted on") < page.index("Last updated")


def test_a_minor_edit_changes_nothing_readers_see_about_dates(editors_client, client):
    post = make_post(body="<p>Teh typo.</p>")
    _edit(editors_client, post, body="<p>The typo.</p>")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Last updated" not in page and "See all updates" not in page
    assert "Updates to this page" not in page
    assert "The typo." in page


def test_every_major_change_is_listed_under_see_all_updates(editors_client, client):
    post = make_post(body="<p>We awarded £2m.</p>")
    _edit(editors_client, post, major_change="on", major_change_note="Corrected the total.")
    post.refresh_from_db()
    _edit(editors_client, post, major_change="on", major_change_note="Added the winners.")
    page = client.get(post.get_absolute_url()).content.decode()
    # The latest note by the date, a link down to the whole list, newest first, ending
    # with the first publication, as on GOV.UK.
    assert '<a href="#full-history">See all updates</a>' in page
    history = page[page.index('id="full-history"') :]
    assert history.index("Added the winners.") < history.index("Corrected the total.")
    assert history.index("Corrected the total.") < history.index("First published.")
    assert post.publish_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in (
        history
    )


def test_a_major_change_needs_a_note(editors_client):
    post = make_post()
    response = _edit(editors_client, post, title="New title", major_change="on")
    assert "Say in one sentence what changed." in response.content.decode()
    post.refresh_from_db()
    assert post.title != "New title" and post.major_change_at is None


def test_the_change_note_is_escaped(editors_client, client):
    post = make_post()
    _edit(editors_client, post, major_change="on", major_change_note="<script>alert(1)</script>")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
