"""Readers' filter selects (publishing.widgets.PlainSelect) are written in Python: the markup
must stay exactly Django's, whatever the choices, for screen readers and the filter script."""

import pytest
from django import forms

from publishing.widgets import PlainSelect

CHOICES = [
    ("", "All <kinds>"),
    ("a&b", "Fish & chips"),
    (2021, 2021),
    ("Grouped", [("g1", "First"), ("g2", 'Second "quoted"')]),
]


@pytest.mark.parametrize("value", [None, "", "a&b", "2021", "g2", ["g1", "a&b"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_kind", "aria-describedby": "x", "disabled": True, "hidden": False}]
)
def test_plain_select_writes_djangos_markup(value, attrs):
    plain = PlainSelect(choices=CHOICES).render("kind", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("kind", value, attrs=attrs)
    assert plain == django


def test_news_filter_keeps_the_chosen_topic_and_year_selected(client, db):
    from tests.factories import make_post, make_topic

    topic = make_topic(name="Net <Zero>", slug="net-zero")
    make_post(topics=[topic])
    page = client.get("/news/", {"topic": "net-zero"}).content.decode()
    assert '<option value="net-zero" selected>Net &lt;Zero&gt;</option>' in page
    assert '<option value="" selected>All years</option>' in page
