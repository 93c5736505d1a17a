"""Contacts and topics becoming publishable (issue 28), run on a database from before: every
existing contact and topic is live afterwards, so an upgraded site shows what it showed
(a contact who had left still has its page pointing elsewhere), and editors may publish them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)

# Where a database made before contacts and topics had a publication status stands.
BEFORE = [
    ("contacts", "0009_photo_from_library_app"),
    ("topics", "0001_initial"),
    ("ktnsite", "0013_opportunity_watches"),
]


@pytest.fixture
def old_apps():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_contacts_and_topics_stay_live_after_the_upgrade(old_apps):
    OldTopic = old_apps.get_model("topics", "Topic")
    OldContact = old_apps.get_model("contacts", "Contact")
    space = OldTopic.objects.create(name="Space", slug="space")
    karen = OldContact.objects.create(name="Karen Wilkinson", slug="karen", email="k@example.org")
    karen.topics.add(space)
    gone = OldContact.objects.create(
        name="Gina Gone", slug="gina", email="g@example.org", is_active=False
    )
    gone.topics.add(space)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.auth.models import Group

    from contacts.models import Contact
    from topics.models import Topic

    assert Topic.objects.get(pk=space.pk).is_live
    assert {c.slug: c.is_live for c in Contact.objects.all()} == {"karen": True, "gina": True}
    assert list(Contact.objects.active().values_list("slug", flat=True)) == ["karen"]
    reader = Client()
    assert reader.get("/contacts/karen/").status_code == 200
    assert reader.get("/contacts/gina/").status_code == 410  # left: points to a colleague
    assert "Karen Wilkinson" in reader.get("/topics/space/").content.decode()
    # Editors changed contacts and topics straight away before: they may publish them now.
    rights = {p.codename for p in Group.objects.get(name="Editors").permissions.all()}
    assert {"publish_contact", "publish_topic"} <= rights
    # What is added from now on starts as a draft.
    assert Topic.objects.create(name="New", slug="new").status == "draft"
