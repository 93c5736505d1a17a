"""'Did you mean …?': the nearest known word for each unknown word of a search that found nothing."""

import difflib
import re
from collections import Counter

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramDistance
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Length

from ktnsite.models import SearchWord
from ktnsite.search import KINDS, clean_query, query_words

MIN_LENGTH, MAX_LENGTH = 3, 30  # shorter words are mostly right; longer ones are not words
MAX_CORRECTED = 3  # unknown words looked up per search: one small query each
NEAREST = 5  # on PostgreSQL: nearest words read from the trigram index, the best kept
MIN_SIMILARITY = 0.4  # pg_trgm similarity; "manufacturng" to "manufacturing" is 0.67
SQLITE_CANDIDATES = 2000  # most used words of about the same length and first letter
SQLITE_CUTOFF = 0.75  # difflib's ratio
_WORD = re.compile(rf"[^\W\d_]{{{MIN_LENGTH},{MAX_LENGTH}}}")
# PostgreSQL's split, kept close to _WORD: runs of letters.
_PG_SPLIT = "[^[:alpha:]]+"


def words_of(*texts):
    """The words of `texts` as SearchWord stores them: lower case, letters only."""
    return [
        w for text in texts if text for w in _WORD.findall(text.lower()) if len(w) <= MAX_LENGTH
    ]


def words_rebuild():
    """Replace the stored words with those of everything readers can find now.

    Run after bulk loads (generate_content) and by `manage.py search_words`, e.g. nightly
    so that words of withdrawn items stop being suggested. On PostgreSQL the database
    splits the text (about 10 s at a million posts); on SQLite Python does.
    """
    with transaction.atomic():
        SearchWord.objects.all().delete()
        for kind in KINDS.values():
            rows = kind.visible().order_by().values_list(*kind.word_fields)
            if connection.vendor == "postgresql":
                _rebuild_from_sql(rows, kind.word_fields)
            else:
                counts = Counter(w for row in rows.iterator() for w in words_of(*row))
                _add(counts, add_uses=True)


def _rebuild_from_sql(rows, fields):
    sql, params = rows.query.sql_with_params()
    text = ", ".join(f"s.{connection.ops.quote_name(f)}" for f in fields)
    table = SearchWord._meta.db_table
    with connection.cursor() as cursor:
        # Every value comes in as a parameter; the names are the Kind's own fields.
        cursor.execute(
            f"INSERT INTO {table} (word, uses)"  # noqa: S608
            f" SELECT w.word, count(*) FROM ({sql}) AS s,"
            f" regexp_split_to_table(lower(concat_ws(' ', {text})), %s) AS w(word)"
            " WHERE char_length(w.word) BETWEEN %s AND %s GROUP BY w.word"
            f" ON CONFLICT (word) DO UPDATE SET uses = {table}.uses + EXCLUDED.uses",
            (*params, _PG_SPLIT, MIN_LENGTH, MAX_LENGTH),
        )


def _add(counts, *, add_uses):
    if not counts:
        return
    if add_uses:
        existing = dict(
            SearchWord.objects.filter(word__in=list(counts)).values_list("word", "uses")
        )
        for word, uses in existing.items():
            counts[word] += uses
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, uses=n) for w, n in counts.items()],
            update_conflicts=True,
            unique_fields=["word"],
            update_fields=["uses"],
            batch_size=500,
        )
    else:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, uses=n) for w, n in counts.items()], ignore_conflicts=True
        )


def words_add_item(*, model, pk):
    """Add the words of one item if readers can see it now (after an editor publishes it).

    Words already known keep their count, so saving an item again changes nothing. A
    scheduled item's words wait for the next rebuild: suggesting them earlier would tell
    readers what is coming before it is public.
    """
    kind = next((k for k in KINDS.values() if k.model is model), None)
    if kind is None:
        return
    row = kind.visible().filter(pk=pk).values_list(*kind.word_fields).first()
    if row:
        _add(Counter(words_of(*row)), add_uses=False)


def content_went_live(sender, instance, **kwargs):
    """Receiver of publishing's content_went_live: learn the item's words after the commit."""
    transaction.on_commit(lambda: words_add_item(model=sender, pk=instance.pk))


def connect_signals():
    from publishing.signals import content_went_live as went_live

    went_live.connect(content_went_live, dispatch_uid="ktnsite.suggestions.words")


def nearest_words(word):
    """(word, trigram distance, uses) of the NEAREST known words to `word` (PostgreSQL).

    Only words similar enough for pg_trgm's `%` operator (similarity at least
    pg_trgm.similarity_threshold, 0.3 unless changed: below MIN_SIMILARITY, so no word
    that could be suggested is left out) are ranked: the GIN trigram index finds them from
    the word's own trigrams, reading a few dozen pages (0.1 ms), where walking a GiST index
    out from the word in order of distance read 300-700 pages (7-13 ms) for a word
    nothing resembles, and more as the site learnt words.
    """
    return (
        SearchWord.objects.filter(TrigramSimilar(F("word"), word))
        .annotate(distance=TrigramDistance("word", word))
        .order_by("distance")
        .values_list("word", "distance", "uses")[:NEAREST]
    )


def _nearest(word):
    if connection.vendor == "postgresql":
        # Of the nearest words about as close, the most used is likelier what was meant.
        nearest = nearest_words(word)
        close = [(round(d, 1), -uses, w) for w, d, uses in nearest if 1 - d >= MIN_SIMILARITY]
        return min(close)[2] if close else None
    candidates = (
        SearchWord.objects.annotate(length=Length("word"))
        .filter(word__startswith=word[0], length__range=(len(word) - 2, len(word) + 2))
        .order_by("-uses")
        .values_list("word", flat=True)[:SQLITE_CANDIDATES]
    )
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=SQLITE_CUTOFF)
    return found[0] if found else None


def suggest(query):
    """`query` with its unknown words replaced by the nearest known ones, or None.

    None when every word is known (or none could be corrected). The rest of the query
    (quotes, OR, a word left out with -) is kept as typed.
    """
    query = clean_query(query)
    words = [w.lower() for w in query_words(query) if _WORD.fullmatch(w)]
    if not words:
        return None
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    unknown = [w for w in dict.fromkeys(words) if w not in known][:MAX_CORRECTED]
    replacements = {w: r for w in unknown if (r := _nearest(w)) and r != w}
    if not replacements:
        return None
    return re.sub(r"\w+", lambda m: replacements.get(m.group(0).lower(), m.group(0)), query)
