"""WordPress's own test exports (tests/news/wxr/, from WordPress/wordpress-importer) imported whole."""

import io
import re
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command

from news.models import Post
from news.wordpress.body import body_prepare, galleries_mark, gallery_classes
from news.wordpress.wxr import read_export
from tests.factories import write_wxr, wxr_post
from topics.models import Topic

WXR = Path(__file__).parent / "wxr"
THEME_UNIT_TEST = WXR / "theme-unit-test-data.xml"
# What is not a readable WXR file, and the message an operator gets for it.
REFUSED = {
    "crazy-cdata.xml": "not well-formed XML",  # "]]>" inside a CDATA section
    "malformed-simple.xml": "not well-formed XML",  # cut short
    "invalid-version-tag.xml": "WXR version abc is not supported",
    "malformed.xml": "WXR version abc is not supported",
    "missing-version-tag.xml": "it has no <wp:wxr_version>",
}


def _run(export, uploads, *args):
    out = io.StringIO()
    call_command("import_wordpress", str(export), "--media", str(uploads), *args, stdout=out)
    return out.getvalue()


def _counts(output, kind):
    line = next(line for line in output.splitlines() if line.startswith(kind))
    created, updated, skipped = (int(n) for n in line.split()[1:])
    return {"created": created, "updated": updated, "skipped": skipped}


def _posts_in(export):
    return [item for item in read_export(export) if item.get("wp:post_type") == "post"]


@pytest.mark.django_db
@pytest.mark.parametrize("export", sorted(WXR.glob("*.xml")), ids=lambda path: path.name)
def test_every_export_of_wordpress_s_test_data_is_imported_or_refused_clearly(export, tmp_path):
    if export.name in REFUSED:
        with pytest.raises(CommandError, match=REFUSED[export.name]):
            _run(export, tmp_path)
        assert not Post.objects.exists()
        return

    output = _run(export, tmp_path)

    assert ": not imported:" not in output, output
    posts = _counts(output, "posts")
    statuses = [item.get("wp:status") for item in _posts_in(export)]
    importable = sum(s in ("publish", "future", "draft", "pending") for s in statuses)
    assert posts["created"] == Post.objects.count() == importable


@pytest.mark.django_db
def test_the_theme_unit_test_data_imports_every_post_topic_and_old_address(tmp_path, client):
    output = _run(THEME_UNIT_TEST, tmp_path)

    # The https namespace WordPress.com writes is read: 58 posts, none failing.
    assert _counts(output, "posts") == {"created": 58, "updated": 0, "skipped": 0}
    assert ": not imported:" not in output
    # The six posts whose images or captions lack an attribute are among them.
    titles = set(Post.objects.values_list("title", flat=True))
    assert {
        "WP 6.1 Theme block category",
        "Template: Featured Image (Horizontal)",
        "Template: Featured Image (Vertical)",
        "Post Format: Image (Caption)",
        "Markup: Image Alignment",
        "Block: Gallery",
    } <= titles
    assert Topic.objects.filter(name="Markup").exists()
    alignment = Post.objects.get(title="Markup: Image Alignment")
    old = Redirect.objects.get(old_path="/2013/01/10/markup-image-alignment/")
    assert old.new_path == alignment.get_absolute_url()
    assert client.get(alignment.get_absolute_url()).status_code == 200
    # WordPress.com's files host is the uploads folder: its images are looked for in --media.
    assert "wp-content/uploads/2008/06/canola2.jpg: the file is not in the --media" in output


@pytest.mark.django_db
def test_imported_theme_unit_test_pages_keep_no_empty_link_heading_or_figure(tmp_path):
    _run(THEME_UNIT_TEST, tmp_path)

    for post in Post.objects.all():
        soup = BeautifulSoup(post.body, "html.parser")
        for element in soup.find_all(["a", "h2", "h3", "h4", "figure", "li"]):
            assert element.get_text(strip=True) or element.find("img"), (post.title, element)
        for figure in soup.find_all("figure"):
            assert figure.find("img"), (post.title, figure)


@pytest.mark.django_db
def test_a_second_run_of_the_theme_unit_test_data_changes_nothing(tmp_path):
    _run(THEME_UNIT_TEST, tmp_path)
    bodies = dict(Post.objects.values_list("pk", "body"))

    again = _run(THEME_UNIT_TEST, tmp_path)

    assert _counts(again, "posts") == {"created": 0, "updated": 0, "skipped": 58}
    assert _counts(again, "topics")["created"] == 0
    assert dict(Post.objects.values_list("pk", "body")) == bodies


@pytest.mark.django_db
def test_a_wxr_1_0_export_is_read(tmp_path):
    output = _run(WXR / "valid-wxr-1.0.xml", tmp_path)

    assert _counts(output, "posts")["created"] == 3, output
    assert {"Hello world!", "Alpha post", "Child post"} == set(
        Post.objects.values_list("title", flat=True)
    )


@pytest.mark.django_db
def test_an_export_with_an_outside_dtd_is_refused_with_a_clear_message(tmp_path):
    export = tmp_path / "dtd.xml"
    with open(export, "w", encoding="utf-8") as handle:
        write_wxr(
            handle,
            [wxr_post(1, "Hello", slug="hello")],
            doctype='<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/rss.dtd">\n',
        )

    with pytest.raises(CommandError, match=r"refers to an outside DTD \(http://127.0.0.1:9/"):
        _run(export, tmp_path)
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "unit",
    ["[x]", "<!-- wp:x ", "[x ", "[gallery]", '[x a="1" ', "<div ", "[[x]", "[/x][x]"],
)
def test_a_2_mb_body_of_unclosed_openers_is_prepared_in_linear_time(unit):
    # Scanning to the end of the body for every unclosed opener took 53 s for 117 KB of
    # "[x]"; 2 MB would take hours. Linear, it is a second or two even on a busy machine.
    body = unit * (2_000_000 // len(unit))
    started = time.process_time()
    body_prepare(body, [])
    assert time.process_time() - started < 20


def test_deeply_nested_shortcodes_are_prepared_without_running_out_of_stack():
    body = "".join(f"[s{n} a=1]" for n in range(5000)) + "text"
    body += "".join(f"[/s{n}]" for n in reversed(range(5000)))

    assert body_prepare(body, []).count("text") == 1


SITE = "https://old.example.org"
UP = f"{SITE}/wp-content/uploads/2021/10"


@pytest.fixture
def media_export(tmp_path):
    """Galleries (shortcode with ids, shortcode of attached images, block), audio, video and
    a linked outside image, with two image files in the uploads copy."""
    from ktnsite.demo.files import make_hero_image
    from tests.factories import wxr_attachment

    folder = tmp_path / "uploads" / "2021" / "10"
    folder.mkdir(parents=True)
    (folder / "a.jpg").write_bytes(make_hero_image())
    (folder / "b.jpg").write_bytes(make_hero_image())
    block_gallery = (
        '<!-- wp:gallery {"ids":[601,602]} --><figure class="wp-block-gallery"><ul>'
        f'<li><figure><img src="{UP}/a-300x200.jpg" alt="" data-id="601"/></figure></li>'
        f'<li><figure><img src="{UP}/b.jpg" alt="Own alt" data-id="602"/>'
        "<figcaption>Block caption</figcaption></figure></li>"
        "</ul></figure><!-- /wp:gallery -->"
    )
    items = [
        wxr_post(300, "Gallery by ids", slug="by-ids", body='Before\n\n[gallery ids="602,601"]'),
        wxr_post(301, "Gallery attached", slug="attached", body="Look:\n\n[gallery columns=3]"),
        wxr_post(302, "Gallery block", slug="block", body=block_gallery),
        wxr_post(
            303,
            "Media",
            slug="media",
            body=f'Intro\n\n[audio mp3="{UP}/talk.mp3"][/audio]\n\n'
            '<figure class="wp-block-video"><video controls src="https://videos.example.net/'
            'tour.mp4"></video><figcaption>The tour</figcaption></figure>\n\n'
            '<a href="https://elsewhere.example.com/"><img src="https://elsewhere.example.com/'
            'x.jpg" alt=""></a>\n\n<h2><img src="https://elsewhere.example.com/y.jpg"></h2>',
        ),
        wxr_attachment(601, "2021/10/a.jpg", alt="Alt A", caption="Caption A", parent=301, order=2),
        wxr_attachment(602, "2021/10/b.jpg", alt="Alt B", parent=301, order=1),
    ]
    export = tmp_path / "media.xml"
    with open(export, "w", encoding="utf-8") as handle:
        write_wxr(handle, items, site=SITE)
    return export, tmp_path / "uploads"


def _images(post):
    """The library images a body shows, in order, with the alt text readers get."""
    from library.models import Image
    from publishing.richtext import body_image_refs

    refs = body_image_refs(post.body)
    return [(Image.objects.get(pk=pk).alt, alt) for _, pk, alt, _ in refs]


@pytest.mark.django_db
def test_a_gallery_becomes_its_library_images_in_wordpress_s_order(media_export):
    output = _run(*media_export)

    by_ids = Post.objects.get(slug="by-ids")
    assert _images(by_ids) == [("Alt B", "Alt B"), ("Alt A", "Alt A")]
    assert "<figcaption>Caption A</figcaption>" in by_ids.body
    # Without ids: the images attached to the post, by their menu order.
    assert _images(Post.objects.get(slug="attached")) == [("Alt B", "Alt B"), ("Alt A", "Alt A")]
    # The block's images, a resized copy standing for its original, each image once in the library.
    block = Post.objects.get(slug="block")
    assert _images(block) == [("Alt A", "Alt A"), ("Alt B", "Own alt")]
    assert "<figcaption>Block caption</figcaption>" in block.body
    assert _counts(output, "images") == {"created": 2, "updated": 0, "skipped": 0}
    assert "[gallery]" not in output


@pytest.mark.django_db
def test_a_gallery_keeps_its_columns_as_a_gallery_figure_around_its_pictures(media_export):
    _run(*media_export)

    # [gallery] with and without columns, and the block's list of figures: one gallery figure
    # with the pictures' figures as its children (site.css lays them out as a grid).
    for slug in ("by-ids", "attached", "block"):
        body = Post.objects.get(slug=slug).body
        assert len(re.findall(r'<figure class="gallery columns-3">\s*<figure><img ', body)) == 1
        assert "<ul>" not in body and "<li>" not in body
    assert [gallery_classes(n) for n in ("1", "2", "9", "default", None)] == [
        ["gallery", f"columns-{n}"] for n in (1, 2, 4, 3, 3)
    ]


def test_a_gallery_block_with_columns_becomes_a_gallery_of_at_most_four():

    soup = BeautifulSoup(
        '<figure class="wp-block-gallery columns-8 is-cropped alignwide"><ul class="blocks-'
        'gallery-grid"><li class="blocks-gallery-item"><figure><img src="a.jpg" alt="A">'
        '<figcaption class="blocks-gallery-item__caption">A</figcaption></figure></li></ul>'
        '<figcaption class="blocks-gallery-caption">All</figcaption></figure>',
        "html.parser",
    )
    galleries_mark(soup)
    assert str(soup) == (
        '<figure class="gallery columns-4"><figure><img alt="A" src="a.jpg"/>'
        '<figcaption class="blocks-gallery-item__caption">A</figcaption></figure>'
        '<figcaption class="blocks-gallery-caption">All</figcaption></figure>'
    )


def test_the_sanitiser_keeps_only_the_gallery_vocabulary_on_figures():
    from publishing.richtext import sanitise_html

    html = '<figure class="gallery columns-2 evil alignleft" style="x"><figure class="columns-9">'
    assert sanitise_html(html + "</figure></figure>") == (
        '<figure class="gallery columns-2"><figure></figure></figure>'
    )


@pytest.mark.django_db
def test_audio_and_video_become_links_to_their_files_listed_for_the_editor(media_export):
    output = _run(*media_export)

    body = Post.objects.get(slug="media").body
    assert (
        f'<a href="{UP}/talk.mp3" rel="noopener noreferrer">Listen to talk.mp3 (audio)</a>' in body
    )
    assert "Watch tour.mp4 (video)</a>" in body and "<p>The tour</p>" in body
    assert (
        "audio or video wp-content/uploads/2021/10/talk.mp3: the file is not in the --media "
        "folder; the link still leads to the old site"
    ) in output
    assert "video player replaced by a link to https://videos.example.net/tour.mp4" in output


@pytest.mark.django_db
def test_a_link_or_heading_left_empty_by_a_removed_image_is_dropped(media_export):
    _run(*media_export)

    soup = BeautifulSoup(Post.objects.get(slug="media").body, "html.parser")
    assert not soup.find("a", href="https://elsewhere.example.com/")
    assert not soup.find("h2")


@pytest.mark.django_db
def test_audio_in_the_media_folder_is_kept_here_and_its_link_leads_to_it(media_export, client):
    from django.core.files.storage import default_storage

    export, uploads = media_export
    (uploads / "2021" / "10" / "talk.mp3").write_bytes(b"ID3\x04\x00" + b"\x00" * 2000)

    output = _run(export, uploads)

    url = default_storage.url("wordpress/media/2021/10/talk.mp3")
    assert f'<a href="{url}" rel="noopener noreferrer">Listen to talk.mp3 (audio)</a>' in (
        Post.objects.get(slug="media").body
    )
    assert "talk.mp3" not in output.split("Problems")[1]
    old = client.get("/wp-content/uploads/2021/10/talk.mp3")
    assert (old.status_code, old["Location"]) == (301, url)


@pytest.mark.django_db
def test_an_audio_file_that_is_not_one_is_refused_and_left_linking_to_the_old_site(media_export):
    export, uploads = media_export
    (uploads / "2021" / "10" / "talk.mp3").write_text("<html>not a sound</html>")

    output = _run(export, uploads)

    assert (
        "audio or video wp-content/uploads/2021/10/talk.mp3: refused: its content is not what "
        "its name says (mp3)"
    ) in output
    assert f'href="{UP}/talk.mp3"' in Post.objects.get(slug="media").body
