"""load_demo: the demo content a newcomer sees, loaded idempotently."""

import io

import pytest
from django.core.management import call_command

from contacts.models import Contact
from news.models import Post
from opportunities.models import Opportunity
from reports.models import Report
from topics.models import Topic

pytestmark = pytest.mark.django_db

MODELS = [Topic, Contact, Report, Post, Opportunity]


def _snapshot():
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    rows["post_topics"] = list(Post.topics.through.objects.order_by("pk").values())
    rows["post_contacts"] = list(Post.contacts.through.objects.order_by("pk").values())
    return rows


def test_running_load_demo_twice_gives_the_same_rows():
    call_command("load_demo", stdout=io.StringIO())
    first = _snapshot()
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert _snapshot() == first
    assert "0 items created" in output.getvalue()


def test_demo_content_is_enough_to_paginate_and_spans_topics(demo, client):
    assert Post.objects.live().count() >= 13
    assert Topic.objects.filter(posts__isnull=False).distinct().count() >= 3
    assert Report.objects.live().count() >= 3
    assert Contact.objects.count() >= 3
    assert 'rel="next">Older</a>' in client.get("/news/").content.decode()


def test_the_demo_report_is_a_real_multi_page_pdf(demo):
    from pypdf import PdfReader

    report = Report.objects.get(slug="medicines-manufacturing-challenge-impact-report")
    with report.file.open("rb") as handle:
        reader = PdfReader(handle)
        assert len(reader.pages) >= 3
        text = " ".join(page.extract_text() for page in reader.pages)
    assert "£255 million" in text
    assert "2017" in text


def test_load_demo_prints_the_seed_article_address():
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert "/news/ktn-and-ukri-release-medicines-manufacturing-impact-report/" in output.getvalue()
