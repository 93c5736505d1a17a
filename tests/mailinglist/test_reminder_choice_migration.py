"""Upgrading keeps deadline reminders for subscribers who had them before they became a choice."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("mailinglist", "0004_subscriber_deadline_reminders")]
AFTER = [("mailinglist", "0005_existing_subscribers_keep_reminders")]


@pytest.mark.django_db(transaction=True)
def test_subscribers_on_the_list_before_the_upgrade_keep_their_reminders():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Subscriber = old_apps.get_model("mailinglist", "Subscriber")
    Subscriber.objects.create(email="early@example.org")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    early = new_apps.get_model("mailinglist", "Subscriber").objects.get(email="early@example.org")
    assert early.deadline_reminders is True

    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
