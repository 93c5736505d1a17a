"""Checks before publishing: what a reader (or a screen reader) would trip over in an item.

Each finding says where the problem is and how to fix it; none stops publishing. The generic
checks here read the item's fields (title, standfirst, rich text, library images); a model
adds its own through a `content_checks()` method returning more findings (reports: a file
without readable text). Internal links are looked up through publishing.links, so this
module imports no app of ours.
"""

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from html.parser import HTMLParser

from django.db import models

from publishing.links import internal_path, link_target, path_exists
from publishing.richtext import RichTextField

TITLE_MAX = 70

# Link text that says nothing about where the link goes, out of its sentence.
VAGUE_LINK_TEXT = {
    "click here", "here", "click", "read more", "more", "link", "this link", "this",
    "learn more", "click this link", "go", "this page", "see here", "more info",
}  # fmt: skip
BARE_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
# "IMG_1234.jpg", "hero.png", "DSC01234", "Screenshot 2021-10-14 at 09.00.00".
FILENAME_ALT = re.compile(
    r"(^[\w\-. ()]+\.(jpe?g|png|gif|webp|avif|svg|tiff?|bmp|heic)$)"
    r"|(^(img|dsc|dscn|dcim|pxl|photo|image|screenshot)[\s_\-]*[\d\s_\-.:at]+$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    field: str  # the form field to fix ("body", "hero_image", "title", ...)
    where: str  # where, in the editor's words
    problem: str
    fix: str

    def as_dict(self):
        return asdict(self)

    def __str__(self):
        return f"{self.where}: {self.problem} {self.fix}"


def alt_problem(alt):
    """ "missing", "filename" or None for a picture's alt text."""
    alt = (alt or "").strip()
    if not alt:
        return "missing"
    if FILENAME_ALT.match(alt):
        return "filename"
    return None


def _ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _quote(text, limit=60):
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


class _BodyReader(HTMLParser):
    """Headings, links (with their text) and image references of a rich text, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings = []  # (level, text)
        self.links = []  # (href, text, image alts inside)
        self.images = []  # (id or None, alt or None)
        self._heading = None
        self._link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = [int(tag[1]), ""]
        elif tag == "a":
            self._link = [attrs.get("href") or "", "", []]
        elif tag == "img":
            image_id = attrs.get("data-image")
            alt = attrs.get("alt")
            self.images.append((int(image_id) if (image_id or "").isdigit() else None, alt))
            if self._link is not None:
                self._link[2].append(alt or "")

    def handle_endtag(self, tag):
        if self._heading is not None and tag == f"h{self._heading[0]}":
            self.headings.append(tuple(self._heading))
            self._heading = None
        elif tag == "a" and self._link is not None:
            self.links.append(tuple(self._link))
            self._link = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data
        if self._link is not None:
            self._link[1] += data


def _library_images(ids):
    from library.models import Image

    return Image.objects.in_bulk(set(ids)) if ids else {}


def check_image(image, *, field, where):
    """Findings for a library image used as a hero, cover or photo."""
    if image is None or image.decorative:
        return []
    problem = alt_problem(image.alt)
    if problem is None:
        return []
    fix = (
        "Open the image in the library (the pencil beside it) and write what the picture "
        "shows, in a sentence, or tick “Decorative” if it adds nothing to the text."
    )
    if problem == "missing":
        return [Finding(field, where, "The picture has no alt text.", fix)]
    return [
        Finding(field, where, f"The alt text {_quote(image.alt)} is a file name.", fix),
    ]


def check_rich_text(html, *, field, label):
    """Findings for one rich-text field: headings, link text, image alt text, internal links."""
    reader = _BodyReader()
    reader.feed(html or "")
    reader.close()
    findings = []
    findings += _heading_findings(reader.headings, field, label)
    findings += _link_text_findings(reader.links, field, label)
    findings += _body_image_findings(reader.images, field, label)
    findings += _internal_link_findings(reader.links, field, label)
    return findings


def _heading_findings(headings, field, label):
    findings = []
    previous = 1  # the page's own <h1> is the title
    for n, (level, text) in enumerate(headings, start=1):
        where = f"{label}, {_ordinal(n)} heading"
        if not text.strip():
            findings.append(
                Finding(
                    field,
                    f"{where} (Heading {level})",
                    "The heading is empty: screen readers announce a heading with nothing in it.",
                    "Type the heading's words, or set that line back to “Normal” in the "
                    "Format menu.",
                )
            )
            continue
        if level > previous + 1:
            findings.append(
                Finding(
                    field,
                    f"{where} {_quote(text)}",
                    f"It is Heading {level} straight after "
                    + ("the title" if previous == 1 else f"Heading {previous}")
                    + f": Heading {previous + 1} is skipped, so the outline readers navigate "
                    "by has a gap.",
                    f"Make it Heading {previous + 1} in the Format menu (or add the missing "
                    "level above it).",
                )
            )
        previous = level
    return findings


def _link_text_findings(links, field, label):
    findings = []
    for n, (_href, text, alts) in enumerate(links, start=1):
        words = " ".join(text.split())
        plain = words.lower().strip(" .:!?»›→>…")
        where = f"{label}, {_ordinal(n)} link"
        fix = (
            "Select the link's words and type what it leads to, e.g. “Read the impact report” "
            "or “the funding competition's rules”."
        )
        if not plain and not any(alt.strip() for alt in alts):
            findings.append(
                Finding(field, where, "The link has no text: it is read out as its address.", fix)
            )
        elif plain in VAGUE_LINK_TEXT:
            findings.append(
                Finding(
                    field,
                    f"{where} {_quote(words)}",
                    "The link text does not say where it leads (screen-reader users hear a "
                    "list of links on their own).",
                    fix,
                )
            )
        elif BARE_URL.match(words):
            findings.append(
                Finding(
                    field,
                    f"{where} {_quote(words)}",
                    "The link text is a bare web address, read out character by character.",
                    fix,
                )
            )
    return findings


def _body_image_findings(images, field, label):
    library = _library_images([pk for pk, _alt in images if pk is not None])
    findings = []
    for n, (pk, alt) in enumerate(images, start=1):
        where = f"{label}, {_ordinal(n)} picture"
        image = library.get(pk)
        if image is None:
            findings.append(
                Finding(
                    field,
                    where,
                    "The picture is no longer in the library, so readers see nothing there.",
                    "Remove it from the text, or insert another with the image button.",
                )
            )
            continue
        if alt == "":
            continue  # marked decorative for this use
        used = alt if alt is not None else image.alt_text
        if alt is None and image.decorative:
            continue
        problem = alt_problem(used)
        fix = (
            "Double-click the picture in the text and write what it shows in “Alt text for "
            "this use”, or tick “Decorative”."
        )
        if problem == "missing":
            findings.append(Finding(field, where, "The picture has no alt text.", fix))
        elif problem == "filename":
            findings.append(
                Finding(field, where, f"The alt text {_quote(used)} is a file name.", fix)
            )
    return findings


def _internal_link_findings(links, field, label):
    from django.contrib.redirects.models import Redirect

    targets = []
    for n, (href, text, _alts) in enumerate(links, start=1):
        path = internal_path(href)
        if path is None:
            continue
        target = link_target(path)
        if target is None:
            if not path_exists(path):
                targets.append((n, href, text, None))
            continue
        targets.append((n, href, text, target))
    # One query per kind for the items named, one for what readers may see among them.
    wanted = defaultdict(lambda: (set(), set()))
    for _n, _href, _text, target in targets:
        if target is not None:
            (wanted[target.kind.kind][0 if target.pk else 1]).add(target.pk or target.slug)
    found, visible = {}, {}
    kinds = {t.kind.kind: t.kind for *_rest, t in targets if t is not None}
    for name, (pks, slugs) in wanted.items():
        kind = kinds[name]
        query = models.Q(pk__in=pks) | models.Q(slug__in=slugs)
        rows = list(kind.model._default_manager.filter(query).values_list("pk", "slug"))
        seen = set(kind.visible().filter(query).values_list("pk", flat=True))
        for pk, slug in rows:
            found[(name, pk)] = found[(name, slug)] = pk
            visible[pk, name] = pk in seen
    findings = []
    for n, href, text, target in targets:
        where = f"{label}, {_ordinal(n)} link {_quote(text or href)}"
        key = (target.kind.kind, target.pk or target.slug) if target else None
        pk = found.get(key) if key else None
        if pk is None and target is not None and target.slug:
            # An old address of a renamed item still works through its redirect.
            path = internal_path(href)
            if Redirect.objects.filter(old_path=path).exists():
                continue
        if pk is None:
            findings.append(
                Finding(
                    field,
                    where,
                    f"It links to {href}, which does not exist on this site: readers get "
                    "“Page not found”.",
                    "Remove the link, or select its words and use “Link to our content” to "
                    "find the right item.",
                )
            )
        elif not visible[pk, target.kind.kind]:
            findings.append(
                Finding(
                    field,
                    where,
                    f"It links to a {target.kind.label.lower()} readers cannot see yet (a "
                    "draft, scheduled, taken down or inactive): they get “Page not found”.",
                    f"Publish that {target.kind.label.lower()} first, or remove the link.",
                )
            )
    return findings


def check_item(item):
    """Every finding for `item` (saved or not): its fields, then the model's own checks."""
    findings = []
    title = (getattr(item, "title", "") or "").strip()
    if len(title) > TITLE_MAX:
        findings.append(
            Finding(
                "title",
                "Title",
                f"The title is {len(title)} characters long; search results and share "
                f"cards cut it after about {TITLE_MAX}.",
                f"Shorten it to {TITLE_MAX} characters or fewer; detail can go in the standfirst.",
            )
        )
    if hasattr(item, "standfirst") and not (item.standfirst or "").strip():
        findings.append(
            Finding(
                "standfirst",
                "Standfirst",
                "There is no standfirst: lists, search results and share cards show it "
                "under the title.",
                "Write one or two sentences that say what the post is about.",
            )
        )
    for field in item._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model._meta.label == (
            "library.Image"
        ):
            image = getattr(item, field.name, None) if getattr(item, field.attname) else None
            where = str(field.verbose_name).capitalize()
            findings += check_image(image, field=field.name, where=where)
        elif isinstance(field, RichTextField):
            label = str(field.verbose_name).capitalize()
            findings += check_rich_text(getattr(item, field.name), field=field.name, label=label)
    own = getattr(item, "content_checks", None)
    if callable(own):
        findings += own()
    return findings
