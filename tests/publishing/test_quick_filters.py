"""The quick date and truncation filters readers' pages use (publishing templatetags) must
write exactly what Django's date, truncatechars and truncatewords write."""

from datetime import UTC, date, datetime

import pytest
from django.template import engines
from django.utils.safestring import mark_safe

TEXTS = [
    "",
    "Short.",
    "Cafe\u0301 au lait",  # a combining accent: NFC makes it one character
    "x" * 159,
    "y" * 160,
    "z" * 161,
    "word " * 30,
    "  spaced\n\nout   words  ",
    "Fish & <chips> " * 20,
    mark_safe("<b>safe</b> " * 30),  # noqa: S308 - a constant, to test safe input
]


def render(source, **context):
    return engines["django"].from_string("{% load publishing %}" + source).render(context)


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("length", [1, 40, 160, 200, 300])
def test_trim_filters_write_what_truncate_filters_write(text, length):
    assert render(f"{{{{ t|trim_chars:{length} }}}}", t=text) == render(
        f"{{{{ t|truncatechars:{length} }}}}", t=text
    )
    assert render(f"{{{{ t|trim_words:{length} }}}}", t=text) == render(
        f"{{{{ t|truncatewords:{length} }}}}", t=text
    )


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        datetime(2026, 7, 1, 23, 30, tzinfo=UTC),  # already 2 July in London (BST)
        datetime(2026, 1, 5, 9, 3, 7, 120, tzinfo=UTC),
        datetime(2026, 1, 5, 9, 3),  # naive
        date(2021, 3, 9),
    ],
)
def test_date_filters_write_what_date_writes(value):
    # To the second: a <time> attribute may not carry six digits of a second.
    whole = value.replace(microsecond=0) if isinstance(value, datetime) else value
    assert render("{{ d|iso_datetime }}", d=value) == render("{{ d|date:'c' }}", d=whole)
    assert render("{{ d|dmy }}", d=value) == render('{{ d|date:"d/m/Y" }}', d=value)
