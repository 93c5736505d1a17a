"""generate_content: a large synthetic set of posts (and optionally reports) for benchmarks."""

import multiprocessing
import random
import time
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from caching.frontcache import SITE_KEY
from caching.pagecache import page_cache_invalidate
from caching.purge import purge_enqueue
from ktnsite.demo.files import make_pdf
from ktnsite.suggestions import words_rebuild
from news.models import Post
from publishing.models import Status, published_fields
from publishing.search import (
    SEARCH_CONFIG,
    month_lexeme,
    search_trigger_name,
    vectors_written_by_caller,
)
from publishing.services import publishable_check_new
from publishing.statistics import analyze
from reports.models import Report, report_upload_to
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


class _Words:
    """Sentences drawn from the Zipf vocabulary, fast enough for a million posts.

    Drawing each word with random.choices costs about a microsecond (more on a busy
    machine), and a million posts have 200 million words. So a pool of words is drawn once
    and each sentence is a slice of it from a random place: every word of a slice is still
    a Zipf draw, so a query word matches the same share of posts as before.
    """

    def __init__(self, rng, pool_size):
        vocabulary, cumulative = _vocabulary(random.Random(0))
        self.vocabulary = vocabulary
        self.pool = rng.choices(vocabulary, cum_weights=cumulative, k=pool_size + 40)
        self.starts = pool_size

    def words(self, rng, low, high):
        """low to high words (both included), drawn with `rng`."""
        draw = rng.random
        start = int(draw() * self.starts)
        return self.pool[start : start + low + int(draw() * (high - low + 1))]


def _sentence_text(words, *, stop="."):
    text = " ".join(words)
    return text[:1].upper() + text[1:] + stop


def _lexemes(cursor, words):
    """{word: its lexeme or None (a stop word)} as PostgreSQL's to_tsvector reads it alone,
    capitalised or not; None if some word is not one lexeme at position 1 (then the
    generator leaves the vectors to the trigger)."""
    forms = [form for word in words for form in (word, word.capitalize())]
    cursor.execute(
        "SELECT u.w, v.lexeme, v.positions FROM unnest(%s::text[]) AS u(w)"
        " LEFT JOIN LATERAL unnest(to_tsvector(%s::regconfig, u.w)) AS v ON true",
        [forms, SEARCH_CONFIG],
    )
    found = {}
    for word, lexeme, positions in cursor.fetchall():
        if word in found or (lexeme is not None and list(positions) != [1]):
            return None  # two lexemes for one word, or a word counted as two
        if lexeme is not None and ("'" in lexeme or "\\" in lexeme):
            return None  # _vector() writes lexemes unquoted
        found[word] = lexeme
    if any(found[word] != found[word.capitalize()] for word in words):
        return None
    return {word: found[word] for word in words}


# A post has a few hundred words; to_tsvector counts positions up to 16,383.
_MAX_POSITION = 16_383
_POSITION_TEXT = {
    weight: [f"{at}{'' if weight == 'D' else weight}" for at in range(_MAX_POSITION + 1)]
    for weight in "ABCD"
}


def _vector(parts, lexemes):
    """The tsvector literal the search trigger would store for `parts`, a list of
    (words in order, weight letter): each part's to_tsvector, setweight and joined with ||
    (which moves the next part's positions past the highest position so far)."""
    positions = {}
    shift = 0
    for words, weight in parts:
        if shift + len(words) > _MAX_POSITION:
            raise ValueError("Too many words for the positions PostgreSQL keeps.")
        text = _POSITION_TEXT[weight]
        top = 0
        for index, word in enumerate(words, shift + 1):
            lexeme = lexemes[word]
            if lexeme is not None:
                top = index
                if lexeme in positions:
                    positions[lexeme].append(text[index])
                else:
                    positions[lexeme] = [text[index]]
        shift = top or shift
    # PostgreSQL keeps at most 256 positions of one lexeme; no generated post has that many.
    return " ".join([f"'{lexeme}':{','.join(at)}" for lexeme, at in positions.items()])


def _copy_value(value):
    """A value as PostgreSQL's COPY text format writes it."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r")
        )  # fmt: skip
    return text


class _Posts:
    """Generated posts, batch by batch. Each batch draws from its own random generator
    (seeded by the run's seed and the batch's start), so batches can be made in any order
    and in other processes, and a seed still gives the same posts."""

    def __init__(self, *, words, seed, tag, count, now, topic_ids):
        self.words, self.seed, self.tag, self.count, self.now = words, seed, tag, count, now
        self.topic_ids = topic_ids
        self.copy = None  # set by for_copy()

    def rng(self, start):
        return random.Random(f"{self.seed}:{start}")

    def rows(self, start, stop):
        """(fields, their words by weight, topic ids) of posts start..stop-1, the publish
        rule applied."""
        rng = self.rng(start)
        words = self.words.words
        span = timedelta(days=10 * 365)
        rows = []
        for n in range(start, stop):
            title = words(rng, 5, 10)
            standfirst = words(rng, 15, 30)
            paragraphs = [words(rng, 12, 30) for _ in range(rng.randint(3, 8))]
            fields = {
                "title": _sentence_text(title, stop=""),
                "slug": f"generated-{self.tag}-{n}",
                "standfirst": _sentence_text(standfirst),
                "body": "".join(f"<p>{_sentence_text(words)}</p>" for words in paragraphs),
                # One in twenty is a draft, so benchmarks also pay for live().
                "status": Status.DRAFT if rng.random() < 0.05 else Status.PUBLISHED,
                # Oldest first, evenly over ten years, as a newsroom writes them: rows then
                # lie on disk in date order, as they do in production.
                "publish_at": self.now - span + span * ((n + rng.random()) / self.count),
                "expire_at": None,
            }
            body_words = [word for words in paragraphs for word in words]
            parts = [(title, "A"), (standfirst, "B"), (body_words, "C")]
            topics = rng.sample(self.topic_ids, k=min(len(self.topic_ids), rng.randint(1, 2)))
            rows.append((fields, parts, topics))
        # The publish rule, as for any row made in bulk (it may stamp publish times).
        states = [SimpleNamespace(**fields) for fields, _, _ in rows]
        publishable_check_new(model=Post, items=states, user=None, now=self.now)
        for (fields, _, _), state in zip(rows, states, strict=True):
            fields["publish_at"] = state.publish_at
        return rows

    def for_copy(self, *, lexemes, first_id):
        """Prepare copy_lines(): each column as Post() and save() would write it (its
        default, auto_now times), ids from first_id on."""
        template = Post()
        columns, values = [], []
        for field in Post._meta.concrete_fields:
            columns.append(field.column)
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = self.now
            else:
                value = field.get_db_prep_save(getattr(template, field.attname), connection)
            values.append(_copy_value(value))
        where = {field.attname: n for n, field in enumerate(Post._meta.concrete_fields)}
        self.copy = SimpleNamespace(
            columns=columns, values=values, where=where, lexemes=lexemes, first_id=first_id
        )
        return columns

    def copy_lines(self, start, stop):
        """The COPY text of posts start..stop-1 and of their topics, the search vectors
        written as the trigger would (see _vector)."""
        copy, posts, topics = self.copy, [], []
        for n, (fields, parts, topic_ids) in zip(
            range(start, stop), self.rows(start, stop), strict=True
        ):
            pk = copy.first_id + n
            row = list(copy.values)
            row[copy.where["id"]] = str(pk)
            for name, value in fields.items():
                row[copy.where[name]] = _copy_value(value)
            vector = _vector(parts, copy.lexemes)
            if fields.get("publish_at") is not None:  # and its month, as the trigger adds
                vector = f"{vector} '{month_lexeme(fields['publish_at'])}'".lstrip()
            row[copy.where["search_vector"]] = vector
            posts.append("\t".join(row))
            topics.extend(f"{pk}\t{topic_id}" for topic_id in topic_ids)
        return "\n".join(posts) + "\n", "\n".join(topics) + "\n", stop - start


_MADE = None  # the _Posts the worker processes make batches of (inherited when forked)


def _copy_lines(bounds):
    return _MADE.copy_lines(*bounds)


class Command(BaseCommand):
    help = (
        "Create N synthetic published posts (plus some drafts) spread over ten years, for "
        "benchmarks. On PostgreSQL posts are copied in with the search vectors the trigger "
        "would store, made in --workers processes, and the search index is built once at "
        "the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=1000, help="How many posts to create.")
        parser.add_argument("--reports", type=int, default=0, help="How many reports to create.")
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=None, help="For a repeatable set.")
        parser.add_argument(
            "--workers", type=int, default=2, help="Processes making posts (PostgreSQL)."
        )

    def handle(self, *args, posts, reports, batch_size, seed, workers, **options):
        if posts < 0 or reports < 0 or batch_size < 1 or workers < 1:
            raise CommandError(
                "Counts must be zero or more, the batch size and workers at least one."
            )
        rng = random.Random(seed)
        # About 150 words a post; more than 2 million drawn words add nothing but time.
        self.words = _Words(rng, min(max(posts, reports * 3) * 150 + 1000, 1 << 21))
        topics = list(Topic.objects.all())
        if not topics:
            topics = [
                Topic.objects.create(
                    name=name, slug=name.lower().replace(" ", "-"), **published_fields()
                )
                for name in ("Medicines Manufacturing", "Net Zero", "Agri-food", "Space")
            ]
        # A run tag keeps slugs unique across repeated runs.
        tag = f"{int(time.time()):x}"
        started = time.perf_counter()
        made = _Posts(
            words=self.words,
            seed=rng.random(),
            tag=tag,
            count=posts,
            now=timezone.now(),
            topic_ids=[topic.pk for topic in topics],
        )
        with transaction.atomic():
            self._posts(made, batch_size, workers)
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

    def _posts(self, made, batch_size, workers):
        batches = [
            (start, min(start + batch_size, made.count))
            for start in range(0, made.count, batch_size)
        ]
        lexemes = None
        if connection.vendor == "postgresql" and batches:
            with connection.cursor() as cursor:
                lexemes = _lexemes(cursor, sorted(set(self.words.vocabulary)))
        if lexemes is None:
            self._posts_bulk_create(made, batches)
            return
        table = Post._meta.db_table
        through = Post.topics.through._meta.db_table
        with connection.cursor() as cursor, vectors_written_by_caller(table, cursor):
            # The table is locked until commit (see vectors_written_by_caller), so no other
            # session takes an id from the range kept here.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table]
            )  # fmt: skip
            (first_id,) = cursor.fetchone()
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [table, first_id + made.count - 1],
            )
            columns = ", ".join(
                map(connection.ops.quote_name, made.for_copy(lexemes=lexemes, first_id=first_id))
            )
            done = 0
            for posts, topics, n in self._made_batches(made, batches, workers):
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(posts)
                with cursor.copy(f"COPY {through} (post_id, topic_id) FROM STDIN") as copy:
                    copy.write(topics)
                if not done:
                    self._check_vectors(cursor, list(range(first_id, first_id + min(n, 200))))
                done += n
                self.stdout.write(f"  {done} posts", ending="\r")
        self.stdout.write("")

    def _made_batches(self, made, batches, workers):
        """The batches' COPY text, made here or, for more than one batch, by worker
        processes while this one copies."""
        if workers == 1 or len(batches) < 2:
            yield from (made.copy_lines(*bounds) for bounds in batches)
            return
        global _MADE
        _MADE = made
        # Forked workers use no database connection: they only make text.
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_copy_lines, batches)
        _MADE = None

    def _posts_bulk_create(self, made, batches):
        """Any database: bulk_create, the vectors (on PostgreSQL) left to the trigger."""
        Through = Post.topics.through
        for start, stop in batches:
            rows = made.rows(start, stop)
            created = Post.objects.bulk_create([Post(**fields) for fields, _, _ in rows])
            Through.objects.bulk_create(
                [
                    Through(post_id=post.pk, topic_id=topic_id)
                    for post, (_, _, topic_ids) in zip(created, rows, strict=True)
                    for topic_id in topic_ids
                ]
            )
            self.stdout.write(f"  {stop} posts", ending="\r")
        self.stdout.write("")

    def _check_vectors(self, cursor, ids):
        """Stop before loading the rest if the vectors written differ from the trigger's:
        rewriting the title makes the trigger compute them again, then the savepoint undoes it."""
        table = Post._meta.db_table
        select = f"SELECT id, search_vector::text FROM {table} WHERE id = ANY(%s)"  # noqa: S608
        cursor.execute(select, [ids])
        written = dict(cursor.fetchall())
        with transaction.atomic():
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for none
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {search_trigger_name(table)}")
            cursor.execute(f"UPDATE {table} SET title = title WHERE id = ANY(%s)", [ids])  # noqa: S608
            cursor.execute(select, [ids])
            computed = dict(cursor.fetchall())
            transaction.set_rollback(True)
        if len(written) != len(ids) or written != computed:
            raise CommandError(
                "The search vectors written differ from the trigger's; nothing was saved."
            )

    def _reports(self, rng, tag, count, topics, batch_size=500):
        """Reports in batches: each with its own PDF file, its vector made by the trigger."""
        now = timezone.now()
        Through = Report.topics.through
        for start in range(0, count, batch_size):
            batch = []
            for n in range(start, min(start + batch_size, count)):
                pages = [
                    [_sentence_text(self.words.words(rng, 20, 20)) for _ in range(5)]
                    for _ in range(rng.randint(2, 6))
                ]
                report = Report(
                    title=_sentence_text(self.words.words(rng, 6, 6), stop=""),
                    slug=f"generated-report-{tag}-{n}",
                    summary=_sentence_text(self.words.words(rng, 25, 25)),
                    status=Status.PUBLISHED,
                    publish_at=now - timedelta(days=rng.randint(1, 3650)),
                    extracted_text="\n".join(" ".join(page) for page in pages),
                    page_count=len(pages),
                    file_type="pdf",
                )
                content = ContentFile(make_pdf(pages))
                report.file.name = default_storage.save(
                    report_upload_to(report, f"{report.slug}.pdf"), content
                )
                report.file_size = content.size
                batch.append(report)
            publishable_check_new(model=Report, items=batch, user=None)
            with transaction.atomic():
                created = Report.objects.bulk_create(batch)
                Through.objects.bulk_create(
                    [
                        Through(report_id=report.pk, topic_id=rng.choice(topics).pk)
                        for report in created
                    ]
                )
            self.stdout.write(f"  {start + len(batch)} reports", ending="\r")
        if count:
            self.stdout.write("")
