"""A realistic WordPress export for the import tests: posts, pages, attachments, an uploads folder."""

import io

from django.core.management import call_command

from news.models import Post, WordPressItem
from tests.factories import write_wxr, wxr_attachment, wxr_post

SITE = "https://old.example.org"


GUTENBERG_BODY = (
    "<!-- wp:paragraph -->\n<p>KTN and UKRI have released the impact report.</p>\n"
    "<!-- /wp:paragraph -->\n\n"
    '<!-- wp:paragraph {"className":"lead"} -->\n<p>Read <a href="'
    f'{SITE}/wp-content/uploads/2021/10/impact-report.pdf">the full report</a>.</p>\n'
    "<!-- /wp:paragraph -->\n\n"
    "<!-- wp:html -->\n<script>alert('pwned')</script>\n<!-- /wp:html -->\n\n"
    '<!-- wp:embed --><figure><iframe src="https://www.youtube.com/embed/abc123" '
    'title="Pilot line tour"></iframe></figure><!-- /wp:embed -->\n\n'
    '<!-- wp:paragraph --><p>See <a href="https://old.example.org/2021/09/01/earlier-news/">'
    "earlier news</a>.</p><!-- /wp:paragraph -->"
)


CLASSIC_BODY = (
    "The pilot line doubled its output this year.\n\n"
    'Pictures from the day [gallery ids="7,8"] are on our page.\n'
    "More to follow.\n\n"
    '[caption id="attachment_502" align="aligncenter" width="300"]'
    '<a href="https://cdn.example.net/wp-content/uploads/2021/10/chart.png">'
    '<img class="wp-image-502" src="https://cdn.example.net/wp-content/uploads/2021/10/'
    'chart-300x200.png" alt="" width="300" height="200" /></a> Output by quarter[/caption]\n\n'
    '[contact-form-7 id="12" title="Contact form"]'
)


def export_items():
    return [
        wxr_post(
            101,
            "KTN and UKRI release Medicines Manufacturing Impact Report",
            slug="ktn-impact-report",
            link=f"{SITE}/2021/10/14/ktn-impact-report/",
            body=GUTENBERG_BODY,
            excerpt="The <em>impact report</em> is out.",
            categories=[
                ("medicines-manufacturing", "Medicines Manufacturing"),
                ("uncategorized", "Uncategorized"),
            ],
            tags=[("pharma", "Pharma")],
            thumbnail_id=501,
        ),
        wxr_post(
            102,
            "Pilot line doubles output",
            slug="pilot-line",
            status="future",
            date_gmt="2099-01-01 10:00:00",
            body=CLASSIC_BODY,
            categories=[("net-zero", "Net Zero")],
        ),
        wxr_post(
            103,
            "Work in progress",
            status="draft",
            date_gmt="0000-00-00 00:00:00",
            body=f'<p><img src="{SITE}/wp-content/uploads/2021/10/missing.jpg" alt="Lost"></p>'
            "<p>Unfinished.</p>",
            thumbnail_id=504,
        ),
        wxr_post(104, "Staff only", slug="staff-only", status="private", body="<p>Secret.</p>"),
        wxr_post(105, "About us", slug="about", post_type="page", body="<p>A page.</p>"),
        # The attachments come after the posts that use them, as WordPress exports them.
        wxr_attachment(501, "2021/10/hero.jpg", title="Hero", alt="Scientists at a pilot line"),
        wxr_attachment(502, "2021/10/chart.png", title="Chart", alt="Output by quarter, rising"),
        wxr_attachment(
            503,
            "2021/10/impact-report.pdf",
            title="Medicines Manufacturing Impact Report",
            description="Ten years of medicines manufacturing innovation.",
        ),
        wxr_attachment(504, "2021/10/gone.jpg", title="Gone", alt="A missing picture"),
    ]


def png(width=640, height=400):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 200)).save(out, "PNG")
    return out.getvalue()


def write_export(export, items, **kwargs):
    with open(export, "w", encoding="utf-8") as handle:
        write_wxr(
            handle,
            items,
            categories=[
                ("medicines-manufacturing", "Medicines Manufacturing"),
                ("net-zero", "Net Zero"),
                ("uncategorized", "Uncategorized"),
            ],
            tags=[("pharma", "Pharma")],
            site=SITE,
            **kwargs,
        )


def run_import(export, uploads, *args):
    out = io.StringIO()
    call_command("import_wordpress", str(export), "--media", str(uploads), *args, stdout=out)
    return out.getvalue()


def imported_post(wp_id):
    mapping = WordPressItem.objects.get(kind="post", wp_key=str(wp_id))
    return Post.objects.get(pk=mapping.object_id)


def import_counts(output, kind):
    line = next(line for line in output.splitlines() if line.startswith(kind))
    created, updated, skipped = (int(n) for n in line.split()[1:])
    return {"created": created, "updated": updated, "skipped": skipped}
