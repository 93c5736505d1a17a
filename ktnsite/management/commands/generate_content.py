"""generate_content: a large synthetic set of posts (and optionally reports) for benchmarks."""

import random
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from caching.frontcache import SITE_KEY
from caching.pagecache import page_cache_invalidate
from caching.purge import purge_enqueue
from ktnsite.demo.files import make_pdf
from ktnsite.suggestions import words_rebuild
from news.models import Post
from publishing.models import Status
from publishing.services import publishable_check_new, publishable_save
from publishing.statistics import analyze
from reports.models import Report
from topics.models import Topic

_VOCABULARY = """
innovation manufacturing medicines therapy cell gene vaccine biologics process continuous
quality regulation clinical trial patient data digital artificial intelligence machine learning
robotics automation sensor quantum computing semiconductor battery hydrogen carbon capture
net zero heat pump solar wind offshore grid storage transport aviation maritime rail
agriculture food farming crop livestock soil water supply chain packaging recycling
circular economy materials composite steel chemistry catalyst polymer textile fashion
space satellite launch orbit earth observation navigation telecoms network security cyber
health care diagnostics imaging genomics wellbeing ageing sport creative design media
funding competition grant loan investor startup scaleup partnership collaboration university
research knowledge transfer skills apprenticeship training community cluster region scotland
wales england northern ireland london manchester glasgow cardiff belfast export trade
standards measurement testing pilot demonstrator facility infrastructure report impact
"""
WORDS = _VOCABULARY.split()


STOP_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "it",
    "this",
    "are",
    "be",
    "an",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "nu",
    "ra",
    "te",
    "vo",
    "si",
    "pe",
    "da",
    "ri",
    "on",
    "el",
    "an",
    "ust",
    "or",
    "im",
    "ex",
    "al",
    "ber",
    "tin",
    "gra",
]


def _vocabulary(rng, size=20_000):
    """Stop words first, then the domain words scattered among made-up ones.

    Drawn with Zipf weights (as words are in real text), so a query word matches a
    realistic share of posts: a few words very many, most words few.
    """
    made_up = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size * 2)} - set(
        WORDS
    )
    vocabulary = sorted(made_up)[:size]
    rng.shuffle(vocabulary)
    for word in WORDS:
        vocabulary.insert(rng.randint(0, len(vocabulary) // 10), word)
    vocabulary = STOP_WORDS + vocabulary
    cumulative, total = [], 0.0
    for rank in range(1, len(vocabulary) + 1):
        total += 1 / rank**1.07
        cumulative.append(total)
    return vocabulary, cumulative


def _sentence(rng, length, vocabulary):
    words = rng.choices(vocabulary[0], cum_weights=vocabulary[1], k=length)
    return " ".join(words).capitalize() + "."


class Command(BaseCommand):
    help = (
        "Create N synthetic published posts (plus some drafts) spread over ten years, for "
        "benchmarks. On PostgreSQL the search vectors are filled by the database trigger."
    )

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=1000, help="How many posts to create.")
        parser.add_argument("--reports", type=int, default=0, help="How many reports to create.")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=None, help="For a repeatable set.")

    def handle(self, *args, posts, reports, batch_size, seed, **options):
        if posts < 0 or reports < 0 or batch_size < 1:
            raise CommandError("Counts must be zero or more and the batch size at least one.")
        rng = random.Random(seed)
        self.vocabulary = _vocabulary(random.Random(0))
        topics = list(Topic.objects.all())
        if not topics:
            topics = [
                Topic.objects.create(name=name, slug=name.lower().replace(" ", "-"))
                for name in ("Medicines Manufacturing", "Net Zero", "Agri-food", "Space")
            ]
        # A run tag keeps slugs unique across repeated runs.
        tag = f"{int(time.time()):x}"
        started = time.perf_counter()
        self._posts(rng, tag, posts, batch_size, topics)
        self._reports(rng, tag, reports, topics)
        analyze(Post, Report)
        # bulk_create sends no signal either: the words "Did you mean …?" offers are rebuilt.
        words_rebuild()
        # bulk_create sends no signal: stored pages, here and in the front caches, must go.
        page_cache_invalidate()
        purge_enqueue({SITE_KEY})
        self.stdout.write(
            f"Created {posts} posts and {reports} reports in {time.perf_counter() - started:.1f} s."
        )

    def _sentence(self, rng, length):
        return _sentence(rng, length, self.vocabulary)

    def _posts(self, rng, tag, count, batch_size, topics):
        now = timezone.now()
        span = timedelta(days=10 * 365)
        Through = Post.topics.through
        for start in range(0, count, batch_size):
            batch = []
            for n in range(start, min(start + batch_size, count)):
                title = self._sentence(rng, rng.randint(5, 10))[:-1]
                batch.append(
                    Post(
                        title=title,
                        slug=f"generated-{tag}-{n}",
                        standfirst=self._sentence(rng, rng.randint(15, 30)),
                        body="".join(
                            f"<p>{self._sentence(rng, rng.randint(12, 30))}</p>"
                            for _ in range(rng.randint(3, 8))
                        ),
                        # One in twenty is a draft, so benchmarks also pay for live().
                        status=Status.DRAFT if rng.random() < 0.05 else Status.PUBLISHED,
                        # Oldest first, evenly over ten years, as a newsroom writes them:
                        # rows then lie on disk in date order, as they do in production.
                        publish_at=now - span + span * (n + rng.random()) / count,
                    )
                )
            publishable_check_new(model=Post, items=batch, user=None)  # the publish rule
            with transaction.atomic():
                created = Post.objects.bulk_create(batch)
                Through.objects.bulk_create(
                    [
                        Through(post_id=post.pk, topic_id=topic.pk)
                        for post in created
                        for topic in rng.sample(topics, k=min(len(topics), rng.randint(1, 2)))
                    ]
                )
            self.stdout.write(f"  {start + len(batch)} posts", ending="\r")
        self.stdout.write("")

    def _reports(self, rng, tag, count, topics):
        now = timezone.now()
        for n in range(count):
            pages = [[self._sentence(rng, 20) for _ in range(5)] for _ in range(rng.randint(2, 6))]
            text = "\n".join(" ".join(page) for page in pages)
            report = Report(
                title=self._sentence(rng, 6)[:-1],
                slug=f"generated-report-{tag}-{n}",
                summary=self._sentence(rng, 25),
                status=Status.PUBLISHED,
                publish_at=now - timedelta(days=rng.randint(1, 3650)),
                extracted_text=text,
                page_count=len(pages),
            )
            report.file.save(f"{report.slug}.pdf", ContentFile(make_pdf(pages)), save=False)
            report.file_type = "pdf"
            report.file_size = report.file.size
            publishable_save(item=report, user=None, comment="Made by generate_content")
            report.topics.set(rng.sample(topics, k=1))
