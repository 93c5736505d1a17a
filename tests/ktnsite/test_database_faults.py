"""Database faults (issue 22.7), for real on PostgreSQL: a page read whose connection the
server kills mid-request is answered from a fresh connection; with the database out of
reach, every page answers 503 with Retry-After, never 500."""

from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from django.test import Client

from ktnsite.dbfaults import RETRY_AFTER_SECONDS
from mailinglist.models import Subscriber
from tests.factories import make_contact, make_post, make_topic
from tests.varnish.conftest import free_port

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="kills PostgreSQL backends; SQLite has none"
    ),
]


def _terminate(pid):
    """pg_terminate_backend from a second connection, as an operator or a failover would."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**{**params, "autocommit": True}) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]


class KillOnce:
    """Kills this connection's backend just before the request's `nth` query that reads
    `table`: the connection dies mid-request, after Django's health check passed."""

    def __init__(self, table, nth=1):
        self.table, self.left, self.killed = table, nth, False

    def __call__(self, execute, sql, params, many, context):
        if not self.killed and self.table in sql:
            self.left -= 1
            if self.left == 0:
                self.killed = True
                with connection.connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    _terminate(cursor.fetchone()[0])
        return execute(sql, params, many, context)


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("table", ["news_post", "topics_topic", "contacts_contact"])
def test_a_read_whose_connection_is_killed_is_answered_from_a_fresh_one(reader, table):
    topic = make_topic(name="Quantum")
    post = make_post(title="Still here", topics=[topic], contacts=[make_contact(topics=[topic])])
    killer = KillOnce(table)
    with connection.execute_wrapper(killer):
        response = reader.get(post.get_absolute_url())
    assert killer.killed
    assert response.status_code == 200
    assert "Still here" in response.content.decode()


def test_a_write_whose_connection_is_killed_answers_503_and_is_not_retried(reader):
    killer = KillOnce("mailinglist_subscriber")
    with connection.execute_wrapper(killer):
        response = reader.post("/mailing-list/", {"email": "reader@example.org", "consent": "on"})
    assert killer.killed
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    # Only a read is run again: the reader is told to try again, and nothing is half-written.
    assert not Subscriber.objects.exists()


@contextmanager
def database_down():
    """The database's address pointed at a port nobody listens on, then put back."""
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port


def test_with_the_database_down_pages_answer_503_not_500(reader):
    post = make_post()
    topic = make_topic()
    url = post.get_absolute_url()
    with database_down():
        for path in ["/", url, "/news/", topic.get_absolute_url(), "/search/?q=x", "/no-such/"]:
            response = reader.get(path)
            assert response.status_code == 503, path
            assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
            assert "try again" in response.content.decode()
        assert reader.get("/healthz").status_code == 503
    # And back: the next request connects again.
    assert reader.get(url).status_code == 200
