"""On PostgreSQL a page read again and again runs prepared statements: the database parses
and plans each of its queries once per connection, not once per request."""

import pytest
from django.db import connection

from tests.factories import make_post, make_topic

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
]


def _prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


def test_an_article_read_again_and_again_runs_prepared_statements(client):
    post = make_post(topics=[make_topic()])
    assert client.get(post.get_absolute_url()).status_code == 200
    before = _prepared_statements()
    for _ in range(5):
        assert client.get(post.get_absolute_url()).status_code == 200
    assert _prepared_statements() > before
