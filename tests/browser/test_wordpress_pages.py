"""The Theme Unit Test Data, imported with its images, read in Chromium: 0 axe violations."""

import io
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from ktnsite.demo.files import make_hero_image
from news.models import Post
from news.wordpress.wxr import read_export

EXPORT = Path(__file__).parents[1] / "news" / "wxr" / "theme-unit-test-data.xml"
WCAG_22 = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                  "wcag22aa"]}}  # fmt: skip
# The posts that failed to import or kept empty links before, and the media-heavy ones. (All
# 55 live posts were audited once, with 0 violations; each page's audit takes seconds here.)
CHECKED = [
    "WP 6.1 Theme block category",
    "Template: Featured Image (Horizontal)",
    "Post Format: Image (Caption)",
    "Post Format: Image (Linked)",
    "Markup: Image Alignment",
    "Post Format: Gallery",
    "Block: Gallery",
    "Block: Image",
    "Block: Cover",
    "Post Format: Audio",
    "Block category: Common",
    "Block category: Embeds",
]


@pytest.fixture
def imported(transactional_db, tmp_path):
    """The export imported with a picture standing in for each of its attachments' files."""
    uploads = tmp_path / "uploads"
    picture = make_hero_image()
    for item in read_export(EXPORT):
        url = item.get("wp:attachment_url", "")
        if item.get("wp:post_type") == "attachment" and url.endswith((".jpg", ".png")):
            path = uploads / url.split(".files.wordpress.com/", 1)[1]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(picture)
    output = io.StringIO()
    call_command("import_wordpress", str(EXPORT), "--media", str(uploads), stdout=output)
    return output.getvalue()


def test_imported_theme_unit_test_pages_have_no_axe_violations(page, imported):
    posts = list(Post.objects.live().filter(title__in=CHECKED))
    assert len(posts) == len(CHECKED)
    failures = []
    for post in posts:
        response = page.goto(post.get_absolute_url())
        assert response.status == 200, post.title
        results = Axe().run(page, options=WCAG_22)
        if results.violations_count:
            failures.append(f"{post.title}: {results.generate_report()}")
    assert not failures, "\n".join(failures)


def test_imported_galleries_are_grids_that_fit_a_phone(page, imported):
    # The Gallery block and [gallery] with 1 to 9 columns in WordPress: on a wide screen the
    # columns they asked for (at most 4), on a 360 px phone at most two, never wider than it.
    columns = """g => [g.className.match(/columns-(\\d)/)[1] * 1,
                       getComputedStyle(g).gridTemplateColumns.split(' ').length]"""
    for title in ("Block: Gallery", "Post Format: Gallery"):
        post = Post.objects.live().get(title=title)
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(post.get_absolute_url())
            galleries = page.locator(".rich-text .gallery")
            assert galleries.count() >= 1, title
            for asked, shown in galleries.evaluate_all(f"all => all.map({columns})"):
                assert shown == (asked if width > 360 else min(asked, 2)), (title, width, asked)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (title, width)
            assert Axe().run(page, options=WCAG_22).violations_count == 0, (title, width)
