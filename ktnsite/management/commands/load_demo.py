"""load_demo: create the demo content once; running it again changes nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from contacts.models import Contact
from events.forms import CONSENT_TEXT
from events.models import Event, EventFile, EventFileKind, Registration
from ktnsite.demo import content
from ktnsite.demo.events import demo_events
from ktnsite.demo.files import make_hero_image, make_pdf
from ktnsite.demo.opportunities import OPPORTUNITIES, at
from ktnsite.demo.pages import site_pages
from library.services import image_create
from news.models import Post
from opportunities.models import Opportunity
from publishing.models import Status, published_fields
from publishing.services import publishable_save
from reports.models import Report
from reports.services import report_file_read
from topics.models import Topic

LONDON = ZoneInfo("Europe/London")


def _attach_slides(event, title, pages):
    """A PDF of slides on a past event, as an editor attaches it (events.files checks it)."""
    pdf = make_pdf(pages, title=title)
    attached = EventFile(
        event=event, kind=EventFileKind.SLIDES, title=title, file_type="pdf", file_size=len(pdf)
    )
    attached.file.save("slides.pdf", ContentFile(pdf), save=False)
    attached.save()


def _when(parts):
    return datetime(*parts, tzinfo=LONDON)


def _load_opportunities(topics, contacts):
    """The six demo calls (ktnsite.demo.opportunities), dated around today; each made once."""
    created = 0
    for data in OPPORTUNITIES:
        if Opportunity.objects.filter(slug=data["slug"]).exists():
            continue
        fields = {
            key: value
            for key, value in data.items()
            if key not in ("eligible", "topics", "contacts", "opens", "closes")
        }
        opportunity = Opportunity(
            **fields,
            **{f"eligible_{kind}": True for kind in data["eligible"]},
            opens_at=at(data["opens"]),
            closes_at=at(data["closes"]),
            apply_url="https://apply-for-innovation-funding.service.gov.uk/competition/search",
            status=Status.PUBLISHED,
            # Announced a week before opening, and already live for an upcoming call.
            publish_at=at((min(data["opens"][0], 0) - 7, data["opens"][1])),
        )
        publishable_save(item=opportunity, user=None, comment="Loaded by load_demo")
        opportunity.topics.set(topics[slug] for slug in data["topics"])
        opportunity.contacts.set(contacts[slug] for slug in data["contacts"])
        created += 1
    return created


class Command(BaseCommand):
    help = "Load the demo content: the 14/10/2021 impact-report post and posts around it."

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        topics = {}
        for order, data in enumerate(content.TOPICS):
            topics[data["slug"]], new = Topic.objects.get_or_create(
                slug=data["slug"], defaults={**data, "ordering": order, **published_fields()}
            )
            created += new

        contacts = {}
        for data in content.CONTACTS:
            fields = {k: v for k, v in data.items() if k != "topics"}
            contact, new = Contact.objects.get_or_create(
                slug=data["slug"], defaults={**fields, **published_fields()}
            )
            if new:
                contact.topics.set(topics[slug] for slug in data["topics"])
            contacts[data["slug"]] = contact
            created += new

        reports = {}
        for data in [content.SEED_REPORT, *content.OTHER_REPORTS]:
            report = Report.objects.filter(slug=data["slug"]).first()
            if report is None:
                report = Report(
                    title=data["title"],
                    slug=data["slug"],
                    summary=data["summary"],
                    status=Status.PUBLISHED,
                    publish_at=_when(data["publish_at"]),
                    accessible_format_contact=contacts.get(
                        content.ACCESSIBLE_FORMAT_CONTACTS.get(data["slug"])
                    ),
                )
                pdf = make_pdf(data["pages"], title=data["title"])
                report.file.save(f"{data['slug']}.pdf", ContentFile(pdf), save=False)
                publishable_save(item=report, user=None, comment="Loaded by load_demo")
                report_file_read(report=report, trusted=True)
                report.topics.set(topics[slug] for slug in data["topics"])
                created += 1
            reports[data["slug"]] = report

        for index, data in enumerate([content.SEED_POST, *content.OTHER_POSTS]):
            if Post.objects.filter(slug=data["slug"]).exists():
                continue
            report = reports.get(data["report"])
            body = data["body"]
            if report is not None:
                body = body.replace("{report_url}", report.get_absolute_url())
            hero = None
            if data["hero_alt"]:
                hero = image_create(
                    file=ContentFile(
                        make_hero_image(seed_offset=index), name=f"{data['slug']}.jpg"
                    ),
                    alt=data["hero_alt"],
                    title=data["title"],
                    tags=["demo"],
                )
            post = Post(
                title=data["title"],
                slug=data["slug"],
                standfirst=data["standfirst"],
                body=body,
                hero_image=hero,
                report=report,
                is_featured=data["is_featured"],
                status=Status.PUBLISHED,
                publish_at=_when(data["publish_at"]),
            )
            publishable_save(item=post, user=None, comment="Loaded by load_demo")
            post.topics.set(topics[slug] for slug in data["topics"])
            post.contacts.set(contacts[slug] for slug in data["contacts"])
            created += 1

        # Before the events: the briefing names one of them.
        created += _load_opportunities(topics, contacts)
        for data in demo_events():
            if Event.objects.filter(slug=data["slug"]).exists():
                continue
            links = {name: data.pop(name, []) for name in ("topics", "speakers")}
            opportunity_slug = data.pop("related_opportunity", None)
            if opportunity_slug:
                data["related_opportunity"] = Opportunity.objects.get(slug=opportunity_slug)
            places, waiting = data.pop("registrations", (0, 0))
            slides = data.pop("slides", None)
            event = Event(**data, status=Status.PUBLISHED, publish_at=_when((2021, 10, 1, 9)))
            publishable_save(item=event, user=None, comment="Loaded by load_demo")
            event.topics.set(topics[slug] for slug in links["topics"])
            event.speakers.set(contacts[slug] for slug in links["speakers"])
            if slides:
                _attach_slides(event, *slides)
            # Made-up people, written directly: the demo sends nobody an email.
            Registration.objects.bulk_create(
                Registration(
                    event=event,
                    name=f"Demo person {n + 1}",
                    email=f"person{n + 1}@example.org",
                    consent_text=CONSENT_TEXT,
                    state="place" if n < places else "waiting",
                )
                for n in range(places + waiting)
            )
            created += 1

        for url, (title, html) in site_pages().items():
            page, new = FlatPage.objects.get_or_create(
                url=url, defaults={"title": title, "content": html}
            )
            if new:
                page.sites.add(settings.SITE_ID)
            created += new

        seed = Post.objects.get(slug=content.SEED_POST_SLUG)
        self.stdout.write(
            f"Demo content ready ({created} items created). The seed article: "
            f"{seed.get_absolute_url()}"
        )
