"""manage.py seed_peer: the peer's content, the same article as ktnsite's and posts around it.

Topics, contacts, the hero image, the report, the article and 30 other news pages, so the
article has related posts. Safe to run again: it deletes what it made before.
"""

import io
import random
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from core.models import Contact, ReportDocument, Topic
from home.models import HomePage
from news.models import NewsIndexPage, NewsPage

LONDON = ZoneInfo("Europe/London")

TOPICS = [
    ("Medicines Manufacturing", "medicines-manufacturing"),
    ("Net Zero", "net-zero"),
    ("Agri-food", "agri-food"),
    ("Digital and AI", "digital-and-ai"),
    ("Space", "space"),
]

ARTICLE_TITLE = "KTN and UKRI Release Medicines Manufacturing Impact Report"
ARTICLE_SLUG = "ktn-and-ukri-release-medicines-manufacturing-impact-report"
STANDFIRST = (
    "Take a look at our recently released report which highlights the significant impact "
    "made through investment and collaboration into UK Medicines Manufacturing."
)
# The body HTML as ktnsite serves its seed article (ktnsite/demo/content.py), so both pages
# carry the same text; the closing link is a Wagtail document link to the report.
BODY = (
    "<p>UKRI set up the Medicines Manufacturing Challenge in 2017 to build the UK's ability to make "
    "medicines. By July 2021 it had invested £255 million in first-of-a-kind manufacturing "
    "technologies that bring new drugs and treatments to patients sooner, and that make the UK a "
    "leading place to develop, produce and deliver advanced therapies.</p>"
    "<p>The investment has driven innovation across medicines manufacturing: it has taken risk out "
    "of developing new technologies, paid for shared infrastructure and encouraged collaboration "
    "and fresh ideas throughout UK life sciences. Training places and apprenticeships are also "
    "growing the skills that the next generation of therapies will need.</p>"
    "<p>A strong medicines manufacturing sector needs a connected ecosystem. KTN supports it "
    "through the Medicines Manufacturing Challenge Community, which helps innovative organisations "
    "work together to advance the UK's capabilities.</p>"
    "<p>KTN continues to invest across the whole Medicines Manufacturing Challenge Community: "
    "forming partnerships, championing innovation and shaping what comes next.</p>"
    '<p><a linktype="document" id="{doc_id}">Read the Medicines Manufacturing Challenge impact '
    "report</a></p>"
)

# The other posts ktnsite has (title, date, topic slug), so "Related" lists the same three.
OTHER_POSTS = [
    (
        "Naming the molecules of continuous manufacturing",
        "2021-10-20 10:00",
        "medicines-manufacturing",
    ),
    (
        "Continuous manufacturing pilot line opens in Scotland",
        "2021-09-28 10:00",
        "medicines-manufacturing",
    ),
    ("Funding for cell and gene therapy scale-up", "2021-08-17 10:00", "medicines-manufacturing"),
    ("Carbon capture partners sought for Teesside trial", "2022-01-19 10:00", "net-zero"),
    ("Funding awarded by region and year", "2022-01-05 10:00", "net-zero"),
    ("Heat pumps for food factories: competition opens", "2021-11-02 10:00", "net-zero"),
    ("Hydrogen clusters report shows where to start", "2021-06-03 10:00", "net-zero"),
    ("Alternative proteins networking day", "2022-03-09 10:00", "agri-food"),
    ("Robotics for soft fruit picking: meet the winners", "2021-07-12 10:00", "agri-food"),
    ("Vertical farming landscape published", "2021-03-22 10:00", "agri-food"),
    ("Trustworthy AI case studies released", "2022-02-08 10:00", "digital-and-ai"),
    ("Data sharing in supply chains: new guide", "2021-12-01 10:00", "digital-and-ai"),
    ("Quantum computing readiness workshops", "2021-04-14 10:00", "digital-and-ai"),
    ("Small satellite launch services briefing", "2022-04-26 10:00", "space"),
    ("Earth observation for farmers: funding call", "2021-05-18 10:00", "space"),
]
FILLER_SUBJECTS = [
    "innovation network",
    "funding competition",
    "knowledge transfer partnership",
    "industry roadmap",
    "collaboration showcase",
    "skills programme",
    "supply chain study",
    "investor readiness event",
    "regional cluster review",
    "demonstrator project",
    "challenge fund update",
    "technology landscape",
    "open call for partners",
    "case study series",
    "mission workshop",
]


def when(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=LONDON)


def hero_jpeg(width=2000, height=1125):
    """A photo-like JPEG (gradients plus noise, so it compresses like a photograph)."""
    rng = random.Random(42)
    img = PILImage.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = PILImage.effect_noise((width, height), 40).convert("RGB")
    img = PILImage.blend(img, noise, 0.35)
    draw = ImageDraw.Draw(img)
    for _ in range(120):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(20, 90)
        draw.ellipse((x - r, y - r * 2, x + r, y + r * 2), fill=(30, 80 + rng.randrange(120), 200))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def report_pdf(pages=4, size=2450):
    """A small, valid PDF of `pages` pages of text."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        None,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for n in range(pages):
        text = (
            f"BT /F1 14 Tf 72 760 Td (Medicines Manufacturing Challenge: Impact Report, page {n + 1}) Tj "
            "0 -24 Td /F1 11 Tf (UKRI invested 255 million pounds in first-of-a-kind manufacturing "
            "technologies.) Tj 0 -16 Td (Shared infrastructure, collaboration and skills.) Tj ET"
        )
        objects.append(f"<< /Length {len(text)} >>\nstream\n{text}\nendstream")
        content_id = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_id} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {pages} >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    # A comment pads the file to ktnsite's report size (2.4 KB).
    pad = size - out.tell() - 86 - 20 * len(objects)
    if pad > 2:
        out.write(b"%" + b"x" * (pad - 2) + b"\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def publish(page, date):
    page.first_published_at = date
    revision = page.save_revision()
    revision.publish()


class Command(BaseCommand):
    help = "Create the Wagtail peer site's content (wipes what it made before)."

    def handle(self, *args, **options):
        Image = get_image_model()
        with transaction.atomic():  # Wagtail removes their files when this commits
            for page in Page.objects.filter(depth=2):
                page.delete()
            Site.objects.all().delete()
            Topic.objects.all().delete()
            Contact.objects.all().delete()
            ReportDocument.objects.all().delete()
            Image.objects.all().delete()
        # Start from empty media folders so files keep their plain names.
        for folder in ("original_images", "images", "documents"):
            shutil.rmtree(Path(settings.MEDIA_ROOT) / folder, ignore_errors=True)
        with transaction.atomic():
            self.create()

    def create(self):
        Image = get_image_model()

        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Home", slug="home"))
        home.save_revision().publish()
        Site.objects.create(
            hostname="127.0.0.1",
            port=8222,
            root_page=home,
            is_default_site=True,
            site_name="Innovate UK Business Connect",
        )
        news = home.add_child(instance=NewsIndexPage(title="News", slug="news"))
        news.save_revision().publish()

        topics = {}
        for order, (name, slug) in enumerate(TOPICS):
            topics[slug] = Topic.objects.create(name=name, slug=slug, sort_order=order)
        karen = Contact.objects.create(
            name="Karen Wilkinson",
            slug="karen-wilkinson",
            job_title="Knowledge Transfer Manager",
            email="karen.wilkinson@example.org",
        )
        Contact.objects.create(
            name="Tom Hughes",
            slug="tom-hughes",
            job_title="Innovation Lead",
            email="tom.hughes@example.org",
        )

        hero = Image(
            title=ARTICLE_TITLE,
            description="medicine production line, vials of blue liquid",
            file=ContentFile(hero_jpeg(), name=f"{ARTICLE_SLUG}.jpg"),
        )
        hero.save()

        pdf = report_pdf()
        report = ReportDocument(
            title="Medicines Manufacturing Challenge: Impact Report",
            file=ContentFile(pdf, name="medicines-manufacturing-challenge-impact-report.pdf"),
            file_size=len(pdf),
            page_count=4,
            accessible_format_contact=karen,
        )
        report.save()

        article_date = when("2021-10-14 09:00")
        article = news.add_child(
            instance=NewsPage(
                title=ARTICLE_TITLE,
                slug=ARTICLE_SLUG,
                date=article_date,
                standfirst=STANDFIRST,
                search_description="",
                hero_image=hero,
                body=BODY.format(doc_id=report.pk),
                report=report,
            )
        )
        article.topics.set([topics["medicines-manufacturing"]])
        article.contacts.set([karen])
        publish(article, article_date)

        rng = random.Random(7)
        slugs = [slug for _, slug in TOPICS]
        others = list(OTHER_POSTS)
        for i, subject in enumerate(FILLER_SUBJECTS):
            month = 1 + (i % 12)
            others.append(
                (
                    f"{subject.capitalize()} {2019 + i // 12}: what happened",
                    f"{2019 + i // 12}-{month:02d}-{5 + i:02d} 10:00",
                    slugs[i % len(slugs)],
                )
            )
        for title, date_text, topic_slug in others:
            date = when(date_text)
            page = news.add_child(
                instance=NewsPage(
                    title=title,
                    date=date,
                    standfirst=f"{title}: a short summary of the news for lists and search results.",
                    body="".join(
                        f"<p>{title}. Paragraph {n + 1} of the story, with enough words to look like a "
                        "real news item about innovation, funding and collaboration across the UK.</p>"
                        for n in range(rng.randrange(3, 7))
                    ),
                )
            )
            page.topics.set([topics[topic_slug]])
            publish(page, date)

        self.stdout.write(
            f"Created {NewsPage.objects.count()} news pages; article at {article.url}; "
            f"hero {hero.width}x{hero.height}; report {len(pdf)} bytes."
        )
