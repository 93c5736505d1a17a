"""The topics admin on the publishing kernel: states in the list, a new topic a draft, the
list's ordering boxes saving, except where a live topic's change needs review."""

import pytest
from bs4 import BeautifulSoup

from publishing.models import Status
from tests.factories import make_topic, signed_in
from topics.models import Topic

pytestmark = pytest.mark.django_db


def _reorder(editor, orderings):
    """Save the list's ordering boxes, as its Save button does: {topic: new ordering}."""
    data = {"form-TOTAL_FORMS": len(orderings), "form-INITIAL_FORMS": len(orderings)}
    for row, (topic, ordering) in enumerate(orderings.items()):
        data |= {f"form-{row}-id": topic.pk, f"form-{row}-ordering": ordering}
    return editor.post("/admin/topics/topic/", {**data, "_save": "Save"})


def test_the_list_shows_each_topic_s_state_and_reorders_them():
    editor = signed_in("ed", groups=["Editors"])
    live = make_topic(name="Space", ordering=5)
    draft = make_topic(name="Quantum", status=Status.DRAFT, publish_at=None, ordering=6)
    page = editor.get("/admin/topics/topic/").content.decode()
    assert "Published" in page and "Draft" in page
    assert _reorder(editor, {live: 9, draft: 1}).status_code == 302
    assert Topic.objects.get(pk=live.pk).ordering == 9
    assert Topic.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_topic_added_in_the_admin_is_a_draft():
    editor = signed_in("ed", groups=["Editors"])
    data = {"name": "Net Zero", "slug": "net-zero", "description": "", "ordering": 0,
            "status": "draft", "_publishing": "draft"}  # fmt: skip
    assert editor.post("/admin/topics/topic/add/", data).status_code == 302
    assert Topic.objects.get(slug="net-zero").status == Status.DRAFT


def test_with_review_required_a_live_topic_is_reordered_only_through_review(settings):
    """The list's box would put a change live with nobody's approval: with REVIEW_REQUIRED
    naming topics it is read-only for live topics (a posted value changes nothing), while a
    draft, which readers do not see, is still reordered there."""
    settings.REVIEW_REQUIRED = ["topics.topic"]
    editor = signed_in("ed", groups=["Editors"])
    live = make_topic(name="Space", ordering=5)
    draft = make_topic(name="Quantum", status=Status.DRAFT, publish_at=None, ordering=6)
    page = editor.get("/admin/topics/topic/").content.decode()
    soup = BeautifulSoup(page, "html.parser")
    live_box, draft_box = soup.find(id="id_form-0-ordering"), soup.find(id="id_form-1-ordering")
    assert live_box.has_attr("disabled") and "second person" in live_box["title"]
    assert not draft_box.has_attr("disabled")
    assert _reorder(editor, {live: 9, draft: 1}).status_code == 302
    assert Topic.objects.get(pk=live.pk).ordering == 5
    assert Topic.objects.get(pk=draft.pk).ordering == 1
