"""manage.py generate_content: bulk test content that readers see and the database plans for."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.html import escape

from news.models import Post
from publishing.models import Status
from publishing.search import gin_index_name
from publishing.services import publishable_save
from reports.models import Report

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


def _search_page(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_a_generated_post_is_found_and_shown_like_one_saved_normally(client):
    call_command("generate_content", posts=20, reports=2, seed=3, stdout=io.StringIO())
    post = Post.objects.live().order_by("-publish_at").first()
    # The same text saved the ordinary way, through the publish rule and save().
    twin = Post(
        title=post.title,
        slug="saved-normally",
        standfirst=post.standfirst,
        body=post.body,
        status=Status.PUBLISHED,
        publish_at=post.publish_at,
    )
    publishable_save(item=twin, user=None, comment="Saved by a test")
    twin.topics.set(post.topics.all())

    page = _search_page(client, post.title)
    assert post.get_absolute_url() in page
    assert twin.get_absolute_url() in page
    for item in (post, twin):
        response = client.get(item.get_absolute_url())
        assert response.status_code == 200
        text = response.content.decode()
        assert escape(post.title) in text
        assert escape(post.standfirst) in text
        assert post.topics.first().name in text

    report = Report.objects.live().first()
    assert client.get(report.get_absolute_url()).status_code == 200
    assert report.get_absolute_url() in _search_page(client, report.title)
    # Its PDF is stored, as an upload's would be.
    with report.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    assert report.file.size == report.file_size


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search vectors are PostgreSQL's")
def test_postgresql_generated_vectors_are_those_the_trigger_stores(client):
    call_command("generate_content", posts=300, seed=4, stdout=io.StringIO())
    table = Post._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, search_vector::text FROM {table}")  # noqa: S608
        written = dict(cursor.fetchall())
        # Rewriting the title makes the trigger compute every vector again.
        cursor.execute(f"UPDATE {table} SET title = title")  # noqa: S608
        cursor.execute(f"SELECT id, search_vector::text FROM {table}")  # noqa: S608
        computed = dict(cursor.fetchall())
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        indexes = {name for (name,) in cursor.fetchall()}
    assert len(written) == 300
    assert all(written.values())
    assert written == computed
    assert gin_index_name(table) in indexes
    # The trigger is back on: a post saved afterwards is searchable at once.
    later = Post(
        title="Zeppelin logistics", slug="zeppelin", standfirst="Airships.", body="",
        status=Status.PUBLISHED, publish_at=timezone.now(),
    )  # fmt: skip
    publishable_save(item=later, user=None)
    assert later.get_absolute_url() in _search_page(client, "zeppelin")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN pending lists are PostgreSQL's")
def test_postgresql_leaves_no_search_entries_waiting_outside_the_index():
    call_command("generate_content", posts=30, reports=3, seed=5, stdout=io.StringIO())
    with connection.cursor() as cursor:
        for model in (Post, Report):
            # The number of pending-list pages it had to move: none are left.
            cursor.execute(
                "SELECT gin_clean_pending_list(%s::regclass)",
                [gin_index_name(model._meta.db_table)],
            )
            assert cursor.fetchone() == (0,)
