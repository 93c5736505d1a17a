"""The topics admin on the publishing kernel: states in the list, a new topic a draft, the
list's ordering boxes still saving."""

import pytest

from publishing.models import Status
from tests.factories import make_topic, signed_in
from topics.models import Topic

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_topic_s_state_and_reorders_them():
    editor = signed_in("ed", groups=["Editors"])
    live = make_topic(name="Space", ordering=5)
    draft = make_topic(name="Quantum", status=Status.DRAFT, publish_at=None, ordering=6)
    page = editor.get("/admin/topics/topic/").content.decode()
    assert "Published" in page and "Draft" in page
    data = {
        "form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2",
        "form-0-id": live.pk, "form-0-ordering": "9",
        "form-1-id": draft.pk, "form-1-ordering": "1",
        "_save": "Save",
    }  # fmt: skip
    assert editor.post("/admin/topics/topic/", data).status_code == 302
    assert Topic.objects.get(pk=live.pk).ordering == 9
    assert Topic.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_topic_added_in_the_admin_is_a_draft():
    editor = signed_in("ed", groups=["Editors"])
    data = {"name": "Net Zero", "slug": "net-zero", "description": "", "ordering": 0,
            "status": "draft", "_publishing": "draft"}  # fmt: skip
    assert editor.post("/admin/topics/topic/add/", data).status_code == 302
    assert Topic.objects.get(slug="net-zero").status == Status.DRAFT
