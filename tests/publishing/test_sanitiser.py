"""The rich-text sanitiser: hostile markup is stored inert and renders inert."""

import pytest

from publishing.richtext import sanitise_html
from tests.factories import make_post

HOSTILE = [
    ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
    ("<p onclick=\"alert(1)\" onmouseover='x()'>ok</p>", "<p>ok</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<img src="x" onerror="alert(1)">', ""),
    ('<p style="background:url(javascript:alert(1))">ok</p>', "<p>ok</p>"),
    ("<iframe src='https://evil.example'></iframe><p>ok</p>", "<p>ok</p>"),
    ("<svg><script>alert(1)</script></svg>", ""),
    ("<style>body{display:none}</style><p>ok</p>", "<p>ok</p>"),
    ("<p><scr<script>ipt>alert(1)</script></p>", "<p>ipt&gt;alert(1)</p>"),
    ("<p><b>bold <i>unclosed</p>", "<p><b>bold <i>unclosed</i></b></p>"),
    ("<!-- <script>x</script> --><p>ok</p>", "<p>ok</p>"),
    ('<form action="https://evil.example"><input name="pw"></form>', ""),
    (
        '<a href="https://example.org" target="_blank">x</a>',
        '<a href="https://example.org" rel="noopener noreferrer">x</a>',
    ),
]


@pytest.mark.parametrize(("dirty", "clean"), HOSTILE)
def test_hostile_markup_is_reduced_to_the_allow_list(dirty, clean):
    assert sanitise_html(dirty) == clean


def test_allowed_news_markup_survives_unchanged():
    html = (
        "<h2>Heading</h2><p><strong>b</strong> <em>i</em></p><ul><li>one</li></ul>"
        "<ol><li>two</li></ol><blockquote><p>quote</p></blockquote>"
        '<table><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>'
    )
    assert sanitise_html(html) == html


@pytest.mark.django_db
def test_a_post_body_is_stored_sanitised_and_renders_inert(client):
    post = make_post(body='<p onclick="steal()">Hi</p><script>steal()</script>')
    post.refresh_from_db()
    assert post.body == "<p>Hi</p>"
    html = client.get(post.get_absolute_url()).content.decode()
    assert "steal()" not in html
    assert "<p>Hi</p>" in html
