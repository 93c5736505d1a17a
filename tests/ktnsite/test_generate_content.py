"""manage.py generate_content: bulk test content that readers see and the database plans for."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from news.models import Post

pytestmark = pytest.mark.django_db


def test_it_makes_the_posts_asked_for_mostly_live_each_with_a_topic():
    call_command("generate_content", posts=30, seed=1, stdout=io.StringIO())
    assert Post.objects.count() == 30
    assert Post.objects.live().count() >= 25  # one in twenty is a draft
    assert not Post.objects.filter(topics=None).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
def test_postgresql_plans_for_the_generated_posts_at_once():
    call_command("generate_content", posts=40, seed=1, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", ["news_post"])
        (estimated_rows,) = cursor.fetchone()
    # Without ANALYZE the planner still thinks the table is empty (-1: never analysed).
    assert estimated_rows == 40
