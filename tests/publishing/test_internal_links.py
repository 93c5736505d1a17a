"""Writing aids (issue 11.5): the staff-only search behind "Link to our content", and the
stable /go/<kind>/<id>/ addresses it inserts, which follow an item through slug changes."""

import pytest
from django.test import Client
from django.urls import reverse

from publishing.links import stable_url
from publishing.models import Status
from tests.factories import (
    make_contact,
    make_opportunity,
    make_post,
    make_report,
    make_staff,
    make_topic,
)

pytestmark = pytest.mark.django_db

SEARCH = reverse("admin-link-search")


@pytest.fixture
def ed():
    client = Client()
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


def test_search_finds_posts_reports_contacts_and_topics_by_title(ed, django_assert_max_num_queries):
    post = make_post(title="Hydrogen valleys announced")
    draft = make_post(title="Hydrogen draft", status=Status.DRAFT, publish_at=None)
    report = make_report(title="Hydrogen in industrial clusters")
    contact = make_contact(name="Ann Hydrogenova")
    topic = make_topic(name="Hydrogen")
    make_post(title="Nothing to do with it")
    opportunity = make_opportunity(title="Hydrogen valleys fund")
    # The session and the user's rights, then at most two queries per kind of item (12 for
    # posts, reports, contacts and topics); a kind declared later (events) adds its own two.
    from publishing.links import LINK_KINDS

    with django_assert_max_num_queries(4 + 2 * len(LINK_KINDS)):
        response = ed.get(SEARCH, {"q": "hydrogen"})
    assert response.status_code == 200
    found = {(r["kind"], r["title"], r["url"], r["live"]) for r in response.json()["results"]}
    assert found == {
        ("Post", post.title, f"/go/post/{post.pk}/", True),
        ("Post", draft.title, f"/go/post/{draft.pk}/", False),
        ("Report", report.title, f"/go/report/{report.pk}/", True),
        ("Contact", contact.name, f"/go/contact/{contact.pk}/", True),
        ("Topic", topic.name, f"/go/topic/{topic.pk}/", True),
        (
            "Funding opportunity",
            opportunity.title,
            f"/go/opportunity/{opportunity.pk}/",
            True,
        ),
    }


def test_search_returns_titles_as_data_not_markup(ed):
    make_post(title="<script>alert(1)</script> Hydrogen")
    response = ed.get(SEARCH, {"q": "hydrogen"})
    # JSON that no browser will render as a page; the dialog writes titles as text.
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["results"][0]["title"].startswith("<script>")


@pytest.mark.parametrize("query", ["", "h", "x" * 101])
def test_a_too_short_or_too_long_search_is_a_clear_400(ed, query):
    response = ed.get(SEARCH, {"q": query})
    assert response.status_code == 400 and "characters of a title" in response.json()["error"]


def test_search_is_for_signed_in_staff_only(client):
    response = client.get(SEARCH, {"q": "hydrogen"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_staff("nobody"))
    make_post(title="Hydrogen")
    assert client.get(SEARCH, {"q": "hydrogen"}).json()["results"] == []


def test_a_stable_link_follows_the_item_after_its_slug_changes(client):
    post = make_post(slug="first-name")
    assert client.get(stable_url("post", post.pk))["Location"] == "/news/first-name/"
    post.slug = "second-name"
    post.save()
    response = client.get(stable_url("post", post.pk))
    assert response.status_code == 302 and response["Location"] == "/news/second-name/"


def test_a_stable_link_to_a_draft_or_nothing_is_not_found_for_readers(client):
    draft = make_post(status=Status.DRAFT, publish_at=None)
    assert client.get(stable_url("post", draft.pk)).status_code == 404
    assert client.get("/go/post/999999/").status_code == 404
    assert client.get("/go/spaceship/1/").status_code == 404
    client.force_login(make_staff("ed", groups=["Editors"]))
    assert client.get(stable_url("post", draft.pk))["Location"] == draft.get_absolute_url()


def test_the_body_editor_has_the_link_button_and_native_spellcheck(ed):
    page = ed.get(reverse("admin:news_post_add")).content.decode()
    assert "internallink" in page and reverse("admin-link-search") in page
    assert "&quot;disableNativeSpellChecker&quot;: false" in page
    assert "scayt" in page  # named only to be removed
    assert "js/admin_writing.js" in page
