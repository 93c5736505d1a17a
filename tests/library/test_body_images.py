"""Images in the body: stored as references to the library, rendered from its renditions."""

import pytest
from bs4 import BeautifulSoup

from publishing.richtext import sanitise_html
from publishing.widgets import RichTextWidget
from tests.factories import make_image, make_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<img src="https://evil.example/pixel.gif">', ""),
        ('<img src="https://evil.example/x.png" alt="x" onerror="alert(1)">', ""),
        ('<img data-image="5" src="https://evil.example/x.png">', '<img data-image="5">'),
        ('<img data-image="5x" alt="a">', ""),
        ('<img data-image="javascript:1">', ""),
        (
            '<img data-image="7" class="half evil" style="x" alt="A &quot;lab&quot;">',
            '<img data-image="7" class="half" alt="A &quot;lab&quot;">',
        ),
        ('<img alt=\'data-image="5"\' src="https://evil.example/">', ""),
        ('<img srcset="https://evil.example/a.png 1x" data-image="3">', '<img data-image="3">'),
    ],
)
def test_only_library_references_survive_as_images(dirty, clean):
    assert sanitise_html(dirty) == clean


def test_a_body_image_is_rendered_with_srcset_size_and_lazy_loading(client):
    image = make_image(alt="Vials on a line", size=(2000, 1000), renditions=True)
    post = make_post(
        body=f'<p>Before.</p><p><img data-image="{image.pk}" class="half" '
        'src="https://evil.example/x.png"></p><p>After.</p>'
    )
    assert "evil" not in post.body  # dropped when it was stored
    page = client.get(post.get_absolute_url()).content.decode()
    body = page.split('class="article__body rich-text">')[1].split("</div>")[0]
    assert '<source type="image/webp" srcset="' in body and "-960.webp 960w" in body
    assert 'sizes="(min-width: 48rem) 23rem, 50vw"' in body
    assert (
        'alt="Vials on a line" width="1600" height="800" class="body-image body-image--half"'
        in body
    )
    assert 'loading="lazy"' in body
    assert "evil" not in page and "data-image" not in body


def test_the_alt_text_can_be_set_per_use_or_left_empty_for_decoration(client):
    image = make_image(alt="The library's words")
    post = make_post(
        body=f'<p><img data-image="{image.pk}" alt="Words for this article"></p>'
        f'<p><img data-image="{image.pk}" alt=""></p><p><img data-image="{image.pk}"></p>'
    )
    page = BeautifulSoup(client.get(post.get_absolute_url()).content, "html.parser")
    # The article's own body only: the footer's no-script counter image has an empty alt too.
    alts = [img.get("alt") for img in page.select_one(".article__body").find_all("img")]
    assert alts == [
        "Words for this article",
        "",
        "The library's words",
    ]  # none given: the library's


def test_a_reference_to_a_missing_image_disappears(client):
    post = make_post(body='<p>Text <img data-image="999999" alt="gone"> more.</p>')
    body = client.get(post.get_absolute_url()).content.decode().split("article__body")[1]
    assert "gone" not in body and "<img" not in body.split("</div>")[0]


def test_body_images_cost_one_query_however_many(client):
    def page_queries(count):
        images = [make_image(renditions=True) for _ in range(count)]
        body = "".join(f'<p><img data-image="{i.pk}" alt="Picture {i.pk}"></p>' for i in images)
        post = make_post(body=body)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            page = client.get(post.get_absolute_url()).content.decode()
        assert page.count("body-image--full") == count
        return len(queries)

    without = page_queries(0)
    assert page_queries(1) == page_queries(6) == without + 1


def test_the_editor_shows_references_with_their_thumbnail_and_saves_them_without(
    client,
):
    image = make_image()
    html = RichTextWidget().format_value(f'<p><img alt="x" data-image="{image.pk}"></p>')
    assert f'<img src="{image.thumbnail_url()}" alt="x" data-image="{image.pk}">' in html
    assert sanitise_html(html) == f'<p><img alt="x" data-image="{image.pk}"></p>'


def test_a_post_using_an_image_in_its_text_is_listed_and_forgotten_when_deleted():
    image = make_image()
    post = make_post(body=f'<p><img data-image="{image.pk}" alt="x"></p>')
    assert [str(use) for use in image.body_uses.all()] == [f"the text of post “{post.title}”"]
    post.delete()
    assert not image.body_uses.exists()


def test_feeds_carry_body_images_as_plain_absolute_img_in_one_query(client, settings):
    import feedparser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SITE_URL = "https://www.example.org"

    def feed_queries(posts, images_each):
        for _ in range(posts):
            images = [make_image(renditions=True) for _ in range(images_each)]
            make_post(body="".join(f'<p><img data-image="{i.pk}" alt="Pic"></p>' for i in images))
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/feeds/news/")
        return len(queries), response

    client.get("/feeds/news/")  # the site's own row is cached after the first request
    one, _ = feed_queries(1, 1)
    many, response = feed_queries(3, 2)
    assert many == one  # one query for the images of every body in the feed
    bodies = [entry.content[0].value for entry in feedparser.parse(response.content).entries]
    assert sum(b.count('src="https://www.example.org/media/renditions/') for b in bodies) == 7
    assert all('width="320"' in b and "data-image" not in b for b in bodies)
