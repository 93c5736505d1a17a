"""The post form's question "which topics has this report?", asked when an editor picks the
post's report (the form ticks them if none is ticked): editors only, a few queries."""

import pytest
from django.urls import reverse

from tests.factories import make_report, make_topic, signed_in

pytestmark = pytest.mark.django_db


def url(pk):
    return reverse("admin:news_post_report_topics", args=[pk])


def test_an_editor_gets_the_report_s_topics(django_assert_max_num_queries):
    report = make_report()
    topics = [make_topic(), make_topic()]
    report.topics.set(topics)
    editor = signed_in("ed", groups=["Editors"])
    with django_assert_max_num_queries(8):
        answer = editor.get(url(report.pk))
    assert answer.status_code == 200
    assert sorted(answer.json()["topics"]) == sorted(t.pk for t in topics)


def test_a_report_that_does_not_exist_has_no_topics():
    assert signed_in("ed", groups=["Editors"]).get(url(999999)).json() == {"topics": []}


def test_staff_who_may_not_write_posts_are_refused():
    assert signed_in("reader").get(url(make_report().pk)).status_code == 403
