"""'Did you mean …?': a search that finds nothing offers the nearest word the site uses."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ktnsite.models import SearchWord
from ktnsite.suggestions import nearest_words, words_rebuild
from publishing.models import Status
from tests.factories import make_contact, make_post, make_report, make_topic

pytestmark = pytest.mark.django_db


def _suggestion(response):
    suggestion = response.context["suggestion"]
    return suggestion and suggestion[0]


@pytest.fixture
def site_words():
    make_post(title="Medicines manufacturing report", standfirst="Investment in manufacturing.")
    make_post(title="Quantum sensors", standfirst="Research on quantum navigation.")
    make_report(title="Apprenticeship review", summary="Skills for manufacturers.")
    make_contact(name="Ada Lovelace", job_title="Knowledge transfer manager")
    words_rebuild()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("manufacturng", "manufacturing"),
        ("Apprentiseship", "apprenticeship"),
        ("reserch -quantum", "research -quantum"),
        ('"quantun sensors"', '"quantum sensors"'),
    ],
)
def test_a_misspelt_search_suggests_the_nearest_word_the_site_uses(
    client, site_words, typed, meant
):
    # On PostgreSQL by pg_trgm's nearest words; on SQLite by difflib among words of the
    # same first letter and about the same length.
    response = client.get("/search/", {"q": typed})
    assert response.context["page_obj"].paginator.count == 0
    assert _suggestion(response) == meant
    html = response.content.decode()
    assert "Did you mean" in html


def test_the_suggestion_links_to_that_search_with_the_same_filters(client, site_words):
    topic = make_topic(name="Health")
    response = client.get("/search/", {"q": "manufacturng", "type": "news", "topic": topic.slug})
    link = response.context["suggestion"][1]
    assert link == f"/search/?q=manufacturing&type=news&topic={topic.slug}"
    assert f'href="{link.replace("&", "&amp;")}"' in response.content.decode()


def test_a_search_with_results_suggests_nothing(client, site_words):
    response = client.get("/search/", {"q": "manufacturing"})
    assert response.context["page_obj"].paginator.count >= 1
    assert response.context["suggestion"] is None
    assert "Did you mean" not in response.content.decode()


def test_nothing_is_suggested_when_no_known_word_is_near(client, site_words):
    response = client.get("/search/", {"q": "zeppelin"})
    assert response.context["suggestion"] is None
    assert "Did you mean" not in response.content.decode()


def test_what_the_reader_typed_around_the_suggestion_is_escaped(client, site_words):
    html = client.get("/search/", {"q": "<b>manufacturng</b>"}).content.decode()
    assert "Did you mean" in html
    assert "&lt;b&gt;manufacturing&lt;/b&gt;" in html
    assert "<b>manufacturing" not in html


def test_a_post_published_now_teaches_its_words_at_once(
    client, site_words, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_post(title="Electrolyser gigafactory", standfirst="Hydrogen at scale.")
    response = client.get("/search/", {"q": "electrolyzer"})
    assert _suggestion(response) == "electrolyser"


def test_a_scheduled_posts_words_are_not_suggested_before_it_is_public(
    client, site_words, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_post(
            title="Embargoed zeppelinworks",
            status=Status.PUBLISHED,
            publish_at=timezone.now() + timedelta(days=3),
        )
        make_post(title="Draft zeppelinyard", status=Status.DRAFT)
    words_rebuild()
    assert not SearchWord.objects.filter(word__startswith="zeppelin").exists()
    assert client.get("/search/", {"q": "zeppelinwork"}).context["suggestion"] is None


@pytest.mark.parametrize("posts", [3, 30])
def test_a_search_with_misspellings_has_a_fixed_query_budget(
    client, django_assert_max_num_queries, posts
):
    for n in range(posts):
        make_post(title=f"Manufacturing news {n}", standfirst="Quantum apprenticeship research.")
    words_rebuild()
    # the matches, the topics the filter offers, the known words, one lookup per unknown
    # word (at most three of them); on PostgreSQL also the SET and RESET around the
    # matches (ktnsite.search.planned_for_its_terms), and once per process every 10
    # minutes the date statistics of the reports' windows (ktnsite.search.window_edges).
    with django_assert_max_num_queries(9 if connection.vendor == "postgresql" else 6):
        response = client.get(
            "/search/", {"q": "manufacturng quantim aprenticeship researsh zeppelin"}
        )
    assert _suggestion(response) == "manufacturing quantum apprenticeship researsh zeppelin"


def test_generate_content_leaves_its_words_ready_to_suggest():
    call_command("generate_content", posts=20, seed=1)
    assert SearchWord.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_the_nearest_words_come_from_the_trigram_index_not_a_scan_of_every_word(site_words):
    # As many words as a large site learns (generate_content's million posts: about 20,000).
    SearchWord.objects.bulk_create(
        SearchWord(word=f"{chr(97 + n % 26)}{n:05d}{chr(97 + n // 26 % 26)}x")
        for n in range(20_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ktnsite_searchword")
    plan = nearest_words("manufacturng").explain()
    assert "Bitmap Index Scan on ktnsite_searchword_trgm_gin" in plan, plan
    assert "Seq Scan" not in plan, plan
