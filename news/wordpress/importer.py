"""Importing a WordPress export: posts, topics, images, reports and old addresses, idempotently."""

import hashlib
import html
import json
import logging
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from library.images import validate_image
from library.models import Image
from library.services import image_create, image_replace
from news.models import Post, WordPressItem
from news.wordpress_fetch import Fetcher, FetchRefused
from news.wordpress_html import (
    UPLOADS,
    body_prepare,
    galleries_mark,
    gallery_classes,
    uploads_path,
)
from news.wxr import Channel, read_export
from publishing.models import Status
from publishing.richtext import sanitise_html
from publishing.services import (
    publishable_save,
    redirects_record,
)
from publishing.statistics import analyze
from reports.files import FileType, identify
from reports.models import Report
from reports.services import report_file_read
from topics.models import Topic

logger = logging.getLogger(__name__)

# Bump when the import itself changes, so a second run redoes items made by an older one.
IMPORTER_VERSION = "2"
KINDS = ("posts", "topics", "images", "reports", "redirects")
IMAGE_EXTENSIONS = {"jpg", "jpeg", "jpe", "png", "gif", "webp"}
REPORT_EXTENSIONS = set(FileType.values)
OFFICE_EXTENSIONS = {"doc", "xls", "ppt", "rtf"}  # older formats reports do not accept
SKIPPED_STATUSES = {
    "private": "private posts are not imported (readers of the old site could not see them)",
    "trash": "posts in the WordPress trash are not imported",
    "auto-draft": "automatic drafts are not imported",
}
# What the sanitiser drops whole and a reader would miss: embeds, forms, scripts.
UNSAFE_TAGS = ["script", "style", "iframe", "object", "embed", "form", "video", "audio"]
SIZED = re.compile(r"^(?P<stem>.+)-\d+x\d+(?P<ext>\.\w+)$")
BATCH = 100  # posts per transaction: fewer commits, while each post keeps its own savepoint
STANDFIRST_MAX = 600
# Audio and video kept as files readers can download, by extension and the content it implies.
MEDIA_EXTENSIONS = {
    "mp3": "mp3", "m4a": "mp4", "mp4": "mp4", "m4v": "mp4", "mov": "mp4", "ogg": "ogg",
    "oga": "ogg", "ogv": "ogg", "wav": "wav", "flac": "flac", "webm": "webm",
}  # fmt: skip
FILE_EXTENSIONS = IMAGE_EXTENSIONS | REPORT_EXTENSIONS | set(MEDIA_EXTENSIONS)
FETCH_MAX_BYTES = 2 * 1024**3  # --fetch-max-mb's default: all files of one run together
ZERO_DATE = "0000-00-00 00:00:00"


@dataclass
class ImportReport:
    """What a run did: counts per kind and outcome, and every problem with its item."""

    dry_run: bool = False
    counts: dict = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    problems: list = field(default_factory=list)
    fetched: tuple | None = None  # (files, bytes) downloaded with --fetch-from

    def count(self, kind, outcome):
        self.counts[kind][outcome] += 1

    def problem(self, item, message):
        self.problems.append((item, message))

    def lines(self):
        head = "WordPress import" + (" (dry run: nothing was saved)" if self.dry_run else "")
        lines = [head, f"{'':<10}{'created':>9}{'updated':>9}{'skipped':>9}"]
        for kind in KINDS:
            c = self.counts[kind]
            lines.append(f"{kind:<10}{c['created']:>9}{c['updated']:>9}{c['skipped']:>9}")
        if self.fetched is not None:
            files, size = self.fetched
            lines.append(f"Fetched from the old site: {files} files, {size / 1048576:.1f} MB")
        lines.append(f"Problems: {len(self.problems)}")
        lines.extend(f"  {item}: {message}" for item, message in self.problems)
        return lines


@dataclass
class ImportedImage:
    """An image carried over: where it is stored and what pages need to show it."""

    name: str
    url: str
    width: int | None = None
    height: int | None = None
    renditions: dict = field(default_factory=dict)  # no longer filled: the library has them
    pk: int | None = None  # the library.Image it became


def _digest(*parts):
    return hashlib.sha256(
        json.dumps([IMPORTER_VERSION, *parts], sort_keys=True, default=str).encode()
    ).hexdigest()


def _plain(text):
    """Text from WordPress HTML: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(text or "")).split())


def _date(value):
    """A WordPress GMT date ("2021-10-14 09:00:00") as an aware datetime, or None."""
    value = (value or "").strip()
    if not value or value == ZERO_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _local_date(value):
    """A WordPress local date, read in the site's time zone (the export does not say its own)."""
    found = _date(value)
    return timezone.make_aware(found.replace(tzinfo=None)) if found else None


def _int(value):
    """A WordPress id or number, 0 when it is missing or not one."""
    value = (value or "").strip()
    return int(value) if value.isdigit() else 0


def _old_path(url):
    """The path and query a request for `url` shows Django, as django.contrib.redirects stores it."""
    parts = urlsplit((url or "").strip())
    if not parts.path and not parts.query:
        return ""
    path = escape_uri_path(unquote(parts.path or "/"))
    return f"{path}?{parts.query}" if parts.query else path


class ItemRefused(Exception):
    """A post that cannot be imported, with the reason an editor is shown."""


class WordPressImport:
    """One run of manage.py import_wordpress. `run()` returns its ImportReport."""

    def __init__(
        self,
        *,
        export,
        media_dir,
        dry_run=False,
        status="keep",
        progress=None,
        fetch_from=(),
        fetch_max_bytes=FETCH_MAX_BYTES,
    ):
        self.export = str(export)
        self.media_dir = Path(media_dir).resolve()
        # A dry run stores nothing, downloads included.
        self.fetcher = (
            Fetcher(hosts=fetch_from, media_dir=self.media_dir, total_bytes=fetch_max_bytes)
            if fetch_from and not dry_run
            else None
        )
        self._fetch_failed = {}  # uploads path -> why it was not downloaded
        self._seen_urls = {}  # uploads path -> the address a body used for it
        self.dry_run = dry_run
        self.keep_status = status == "keep"
        self.progress = progress or (lambda done, total: None)
        self.report = ImportReport(dry_run=dry_run)
        self.channel = Channel()
        self.attachments = {}  # WordPress id -> attachment facts
        self.attachment_by_path = {}  # uploads path -> WordPress id
        self.total_posts = 0
        self._topics = {}  # slug -> Topic (or None when refused)
        self._files = {}  # (kind, uploads path) -> (object or None, reason)
        self._redirected = set()  # old paths already given a destination in this run
        self._pending = {}  # old path -> new path, recorded at the end of each batch
        self._post_type = None

    # -- the run --------------------------------------------------------------------------

    def run(self):
        self._scan()
        self._post_type = ContentType.objects.get_for_model(Post)
        if self.dry_run:
            with transaction.atomic():
                self._import_posts()
                transaction.set_rollback(True)
        else:
            self._import_posts()
            # A WordPress site's worth of posts, images and reports at once.
            analyze(Post, Report, Image, WordPressItem)
        if self.fetcher is not None:
            self.report.fetched = (self.fetcher.fetched, self.fetcher.fetched_bytes)
        return self.report

    def _scan(self):
        """First pass: attachments (ids, files, alt text) and the number of posts."""
        for item in read_export(self.export, self.channel):
            post_type = item.get("wp:post_type")
            if post_type == "post":
                self.total_posts += 1
            elif post_type == "attachment":
                url = item.get("wp:attachment_url", "")
                rel = item["meta"].get("_wp_attached_file", "").strip() or uploads_path(url)
                wp_id = _int(item.get("wp:post_id"))
                self.attachments[wp_id] = {
                    "path": rel,
                    "url": url.strip() or item.get("guid", "").strip(),
                    "parent": _int(item.get("wp:post_parent")),
                    "order": _int(item.get("wp:menu_order")),
                    "title": _plain(item.get("title")),
                    "alt": _plain(item["meta"].get("_wp_attachment_image_alt")),
                    "caption": _plain(item.get("excerpt:encoded")),
                    "description": _plain(item.get("content:encoded")),
                }
                if rel:
                    self.attachment_by_path[rel] = wp_id

    def _import_posts(self):
        done = 0
        self.progress(done, self.total_posts)
        posts = (item for item in read_export(self.export) if item.get("wp:post_type") == "post")
        while True:
            batch = [item for _, item in zip(range(BATCH), posts, strict=False)]
            if not batch:
                break
            with transaction.atomic():
                for item in batch:
                    self._post_safely(item)
                    done += 1
                    self.progress(done, self.total_posts)
                self._redirects_flush()

    # -- posts ----------------------------------------------------------------------------

    def _post_safely(self, item):
        label = f"post {item.get('wp:post_id', '?')} “{_plain(item.get('title'))[:60]}”"
        try:
            self._post(item, label)
        except ItemRefused as exc:
            self.report.count("posts", "skipped")
            self.report.problem(label, f"not imported: {exc}")
        except Exception:  # one broken item must not stop the rest of the export
            # The editor gets a reason they can act on; the traceback goes to the log.
            logger.exception("WordPress import: %s failed", label)
            self.report.count("posts", "skipped")
            self.report.problem(
                label,
                "not imported: the importer could not read this post (the error is in the "
                "server log); import it by hand or report it with the export file",
            )

    def _post(self, item, label):
        wp_id = (item.get("wp:post_id") or "").strip()
        if not wp_id.isdigit():
            raise ItemRefused(f"its WordPress id “{wp_id[:20]}” is not a number")
        wp_id = str(int(wp_id))
        wp_status = item.get("wp:status", "")
        if wp_status in SKIPPED_STATUSES or wp_status not in (
            "publish",
            "future",
            "draft",
            "pending",
        ):
            self.report.count("posts", "skipped")
            reason = SKIPPED_STATUSES.get(wp_status, f"status “{wp_status}” is not imported")
            self.report.problem(label, f"skipped: {reason}")
            return
        mapping = WordPressItem.objects.filter(kind=WordPressItem.Kind.POST, wp_key=wp_id).first()
        post = mapping.item if mapping else None

        problems = []
        shortcodes = []
        expand = self._gallery_expander(int(wp_id), problems)
        prepared = body_prepare(item.get("content:encoded"), shortcodes, expand)
        soup = BeautifulSoup(prepared, "html.parser")
        thumbnail = self.attachments.get(_int(item["meta"].get("_thumbnail_id")) or -1)
        refs = self._references(soup, thumbnail)
        digest = _digest(
            {k: v for k, v in item.items() if k != "meta"},
            item["meta"].get("_thumbnail_id"),
            thumbnail,
            [(rel, self._file_stamp(rel), self._attachment_for(rel)) for rel in refs],
            self.keep_status,
        )
        if post is not None and mapping.digest == digest:
            self.report.count("posts", "skipped")
            for message in mapping.problems:
                self.report.problem(label, message)
            return

        if shortcodes:
            names = ", ".join(f"[{name}]" for name in sorted(set(shortcodes)))
            problems.append(f"shortcodes removed (no equivalent here): {names}")
        if item.get("wp:post_password"):
            problems.append("was password-protected in WordPress: imported as a draft")
        topics = self._post_topics(item, problems)
        hero = None
        if thumbnail and not thumbnail["path"]:
            problems.append("the featured image's file is not named in the export: not imported")
            thumbnail = None
        if thumbnail:
            hero = self._image(thumbnail["path"], problems, what="featured image")
            if hero and not thumbnail["alt"]:
                problems.append("the featured image has no alt text: add it before publishing")
        reports = self._rewrite_body(soup, problems)
        body = sanitise_html(str(soup))
        standfirst = _plain(item.get("excerpt:encoded"))
        if not standfirst:
            standfirst, body = self._first_paragraph(body)
        standfirst = Truncator(standfirst).chars(STANDFIRST_MAX)

        redirects = []
        with transaction.atomic():
            created = post is None
            if created:
                post = Post()
            old_url = None if created else post.get_absolute_url()
            wp_slug = self._wp_slug(item)
            if created or (mapping.data.get("wp_slug") != wp_slug):
                post.slug = self._unique_slug(Post, wp_slug, post.pk)
                if post.slug != wp_slug:
                    problems.append(
                        f"another post already has the slug “{wp_slug}”: imported as “{post.slug}”"
                    )
            post.title = _plain(item.get("title"))[:200] or f"Untitled (WordPress post {wp_id})"
            post.standfirst = standfirst
            post.body = body
            draft = wp_status in ("draft", "pending") or bool(item.get("wp:post_password"))
            self._publication_set(post, draft=draft, when=self._post_date(item, draft=draft))
            if hero is not None or thumbnail is None:  # a failed image leaves the hero as it was
                self._hero_set(post, hero, thumbnail["alt"] if thumbnail else "")
            if reports and post.report_id is None:
                post.report = reports[0]
            # Through the publish rule, as the system: its history says "Imported".
            publishable_save(item=post, user=None, comment="Imported from WordPress")
            post.topics.set(topics)
            for report in reports:
                report.topics.add(*topics)
                if post.status == Status.PUBLISHED and report.status != Status.PUBLISHED:
                    self._publication_set(report, draft=False, when=post.publish_at)
                    publishable_save(
                        item=report, user=None, comment="Published with its WordPress post"
                    )
            new_url = post.get_absolute_url()
            if old_url and old_url != new_url:
                redirects.append((old_url, new_url))
            redirects.extend((old, new_url) for old in self._post_old_paths(item, wp_id))
            mapping = mapping or WordPressItem(kind=WordPressItem.Kind.POST, wp_key=wp_id)
            mapping.content_type, mapping.object_id = self._post_type, post.pk
            problems = list(dict.fromkeys(problems))  # a file used twice is listed once
            mapping.digest, mapping.data, mapping.problems = digest, {"wp_slug": wp_slug}, problems
            mapping.save()
        # Only once the post is safely saved do its old addresses lead to it.
        for old, new in redirects:
            self._redirect(old, new)
        self.report.count("posts", "created" if created else "updated")
        for message in problems:
            self.report.problem(label, message)

    def _gallery_expander(self, post_id, problems):
        """How [gallery] reads for one post: its images as figures, in WordPress's order.

        The gallery's `ids` (or `include`) name the attachments in order; without them it
        shows the images attached to the post, by their menu order. Each becomes an image
        that the body's image pass then brings into the library, with its alt text and caption.
        """

        def expand(name, attributes, content):
            if name != "gallery":
                return None
            wanted = re.findall(r"\d+", attributes.get("ids") or attributes.get("include") or "")
            if wanted:
                ids = [int(n) for n in wanted]
            else:
                ids = sorted(
                    (
                        wp_id
                        for wp_id, facts in self.attachments.items()
                        if facts["parent"] == post_id
                        and self._extension(facts["path"] or "") in IMAGE_EXTENSIONS
                    ),
                    key=lambda wp_id: (self.attachments[wp_id]["order"], wp_id),
                )
            figures = []
            for wp_id in ids:
                facts = self.attachments.get(wp_id)
                if facts is None or not facts["url"]:
                    problems.append(f"gallery image {wp_id} is not in the export: left out")
                    continue
                caption = html.escape(facts["caption"])
                figures.append(
                    f'<figure><img src="{html.escape(facts["url"])}" '
                    f'alt="{html.escape(facts["alt"])}">'
                    + (f"<figcaption>{caption}</figcaption>" if caption else "")
                    + "</figure>"
                )
            if not figures:
                problems.append("a gallery with no images in the export was left out")
                return ""
            classes = " ".join(gallery_classes(attributes.get("columns")))
            return f'<figure class="{classes}">' + "".join(figures) + "</figure>"

        return expand

    def _publication_set(self, item, *, draft, when):
        """The one place the import decides status and publish time.

        --status draft makes everything a draft for review. Otherwise WordPress's own state
        is kept: a future date leaves a published item scheduled, as it was there.
        """
        # A draft without a WordPress date stays without one; publishing without a date
        # stamps the moment it went live (publishing.services.publishable_change_check).
        item.publish_at = when
        item.status = Status.DRAFT if draft or not self.keep_status else Status.PUBLISHED

    def _post_date(self, item, *, draft):
        """When the post was (or is to be) published; a draft has a date only if one was set."""
        when = _date(item.get("wp:post_date_gmt"))
        if when is not None or draft:
            return when  # WordPress leaves a draft's GMT date empty until a date is chosen
        when = _local_date(item.get("wp:post_date"))
        if when is None and item.get("pubDate"):
            try:
                when = parsedate_to_datetime(item["pubDate"])
            except (TypeError, ValueError):
                when = None
        return when

    def _wp_slug(self, item):
        slug = slugify(unquote(item.get("wp:post_name") or "")) or slugify(
            _plain(item.get("title"))
        )
        return slug[:200] or f"wordpress-{item.get('wp:post_id')}"

    def _unique_slug(self, model, slug, pk):
        taken = model.objects.exclude(pk=pk) if pk else model.objects.all()
        candidate, n = slug, 1
        while taken.filter(slug=candidate).exists():
            n += 1
            suffix = f"-{n}"
            candidate = slug[: 200 - len(suffix)] + suffix
        return candidate

    def _post_old_paths(self, item, wp_id):
        """Where readers found the post before: its permalink, its guid and /?p=<id>."""
        paths = [_old_path(item.get("link")), f"/?p={wp_id}"]
        guid = _old_path(item.get("guid"))
        if guid and guid not in paths:
            paths.append(guid)
        return [p for p in paths if p and p != "/"]

    def _first_paragraph(self, body):
        """The standfirst from the body's first paragraph, taken out of the body if it fits."""
        found = re.search(r"<p>(.*?)</p>", body, re.S)
        if not found:
            return _plain(body), body
        text = _plain(found[1])
        if text and len(text) <= STANDFIRST_MAX:
            body = (body[: found.start()] + body[found.end() :]).strip()
        return text, body

    # -- topics ---------------------------------------------------------------------------

    def _post_topics(self, item, problems):
        topics = []
        for domain, nicename, name in item["terms"]:
            if domain not in ("category", "post_tag"):
                continue
            slug = slugify(unquote(nicename))[:100] or slugify(name)[:100]
            if not slug or slug == "uncategorized":  # WordPress's default, not a subject
                continue
            topic = self._topic(slug, domain, html.unescape(name), problems)
            if topic is not None and topic not in topics:
                topics.append(topic)
        return topics

    def _topic(self, slug, kind, name, problems):
        """The topic with this slug, made from the WordPress term if there is none yet."""
        if slug in self._topics:
            return self._topics[slug]
        term = self.channel.terms.get((kind, slug))
        name = ((term.name if term else "") or name or slug)[:100]
        topic = Topic.objects.filter(slug=slug).first()
        outcome = "skipped"
        if topic is None:
            # Two terms with one name (a category and a tag) are one area of interest.
            topic = Topic.objects.filter(name=name).first()
        if topic is None:
            try:
                with transaction.atomic():
                    topic = Topic.objects.create(
                        slug=slug, name=name, description=term.description if term else ""
                    )
                outcome = "created"
            except Exception as exc:
                problems.append(f"topic “{name}” could not be made: {exc}")
                return None
        self.report.count("topics", outcome)
        self._topics[slug] = topic
        return topic

    # -- files ----------------------------------------------------------------------------

    def _source(self, rel):
        """The file in the --media folder for an uploads path (fetched there first when it is
        missing and --fetch-from allows), or None."""
        path = (self.media_dir / rel).resolve()
        if not path.is_relative_to(self.media_dir):
            return None
        if not path.is_file() and not self._fetch(rel):
            return None
        return path

    def _fetch(self, rel):
        """Download a missing upload the export names; True once it is in --media."""
        if self.fetcher is None or rel in self._fetch_failed:
            return False
        attachment = self.attachments.get(self.attachment_by_path.get(rel, -1)) or {}
        url = attachment.get("url") or self._seen_urls.get(rel)
        extension = self._extension(rel)
        if not url or extension not in FILE_EXTENSIONS:
            return False
        limit = (
            settings.IMAGE_MAX_BYTES
            if extension in IMAGE_EXTENSIONS
            else settings.REPORTS_MAX_UPLOAD_BYTES
        )
        try:
            self.fetcher.fetch(rel, url, limit)
        except FetchRefused as exc:
            self._fetch_failed[rel] = str(exc)
            return False
        return True

    def _missing(self, rel):
        """Why an upload is not there, for the report."""
        reason = "the file is not in the --media folder"
        if rel in self._fetch_failed:
            reason += f" and was not fetched: {self._fetch_failed[rel]}"
        return reason

    def _file_stamp(self, rel):
        source = self._source(self._original(rel))
        if source is None:
            return None
        stat = source.stat()
        return f"{stat.st_size}:{stat.st_mtime_ns}"

    def _original(self, rel):
        """A resized copy ("photo-300x200.jpg") stands for its original when that exists."""
        sized = SIZED.match(rel)
        if sized:
            original = sized["stem"] + sized["ext"]
            if original in self.attachment_by_path or self._source(original):
                return original
        return rel

    def _attachment_for(self, rel):
        return self.attachments.get(self.attachment_by_path.get(self._original(rel), -1))

    def _extension(self, rel):
        return posixpath.splitext(rel)[1].lower().lstrip(".")

    def _references(self, soup, thumbnail):
        """Every uploaded file the post uses, so a changed or newly supplied file is noticed."""
        refs = [thumbnail["path"]] if thumbnail and thumbnail["path"] else []
        for tag, attr in (("img", "src"), ("a", "href"), (["audio", "video", "source"], "src")):
            for element in soup.find_all(tag, attrs={attr: True}):
                rel = uploads_path(element[attr])
                if rel:
                    self._seen_urls.setdefault(rel, element[attr].strip())
                if rel and (tag == "img" or self._extension(rel) in FILE_EXTENSIONS):
                    refs.append(rel)
        return sorted(set(refs))

    def _file_get(self, kind, rel):
        """The mapping row of an uploaded file imported before, or None."""
        return WordPressItem.objects.filter(kind=kind, wp_key=rel[:255]).first()

    def _image(self, rel, problems, *, what="image", old_url=None):
        """The imported image for an uploads path (importing it on first use), or None."""
        if not rel:
            problems.append(f"{what}: the export names no file for it")
            return None
        rel = self._original(rel)
        key = (WordPressItem.Kind.IMAGE, rel)
        if key not in self._files:
            self._files[key] = self._image_import(rel)
        image, reason = self._files[key]
        if image is None:
            problems.append(f"{what} wp-content/uploads/{rel}: {reason}")
            return None
        for url in (self._uploads_url(rel), old_url):
            self._redirect(_old_path(url), image.url)
        return image

    def _uploads_url(self, rel):
        """The file's address on the old site (which may have lived in a sub-folder)."""
        prefix = urlsplit(self.channel.base_site_url).path.rstrip("/")
        return f"{prefix}{UPLOADS}{rel}"

    def _image_import(self, rel):
        source = self._source(rel)
        mapping = self._file_get(WordPressItem.Kind.IMAGE, rel)
        # Imported by an earlier run into the library (and still there): kept as it is.
        known = bool(
            mapping
            and mapping.data.get("pk")
            and Image.objects.filter(pk=mapping.data["pk"]).exists()
        )
        if source is None:
            if known:
                self.report.count("images", "skipped")
                return ImportedImage(**mapping.data), None
            return None, self._missing(rel)
        stamp = self._file_stamp(rel)
        if known and mapping.digest == stamp:
            self.report.count("images", "skipped")
            return ImportedImage(**mapping.data), None
        attachment = self._attachment_for(rel) or {}
        try:
            image = image_store(
                source,
                dry_run=self.dry_run,
                alt=attachment.get("alt", ""),
                title=attachment.get("title", ""),
                caption=attachment.get("caption", ""),
                # A changed file goes into the library image it became, not a second one.
                replacing=ImportedImage(**mapping.data) if known else None,
            )
        except ValidationError as exc:
            self.report.count("images", "skipped")
            return None, "refused: " + " ".join(exc.messages)
        with transaction.atomic():
            WordPressItem.objects.update_or_create(
                kind=WordPressItem.Kind.IMAGE,
                wp_key=rel[:255],
                defaults={"digest": stamp, "data": image.__dict__},
            )
        self.report.count("images", "updated" if mapping else "created")
        return image, None

    def _report_file(self, rel, link_text, problems):
        """The Report made from an uploaded document (on first use), or None."""
        key = (WordPressItem.Kind.REPORT, rel)
        if key not in self._files:
            self._files[key] = self._report_import(rel, link_text)
        report, reason = self._files[key]
        if report is None:
            problems.append(f"report wp-content/uploads/{rel}: {reason}")
            return None
        self._redirect(_old_path(self._uploads_url(rel)), report.get_download_url())
        return report

    def _report_import(self, rel, link_text):
        source = self._source(rel)
        mapping = self._file_get(WordPressItem.Kind.REPORT, rel)
        report = mapping.item if mapping else None
        if source is None:
            return report, None if report else self._missing(rel)
        stamp = self._file_stamp(rel)
        if report is not None and mapping.digest == stamp:
            self.report.count("reports", "skipped")
            return report, None
        name = posixpath.basename(rel)
        try:
            with source.open("rb") as handle:
                identify(File(handle, name=name), name)
        except ValidationError as exc:
            self.report.count("reports", "skipped")
            return report, "refused: " + " ".join(exc.messages)
        attachment = self._attachment_for(rel) or {}
        with transaction.atomic():
            created = report is None
            if created:
                title = attachment.get("title") or _plain(link_text) or posixpath.splitext(name)[0]
                report = Report(
                    title=title[:200],
                    slug=self._unique_slug(Report, slugify(title)[:200] or "report", None),
                    summary=attachment.get("description") or attachment.get("caption") or title,
                )
                # A new report waits as a draft until a published post links it.
                self._publication_set(report, draft=True, when=None)
            if self.dry_run:
                report.file.name = f"reports/dry-run/{name}"
                report.save()
            else:
                with source.open("rb") as handle:
                    report.file.save(name, File(handle), save=False)
                report.save()
                report_file_read(report=report)
            WordPressItem.objects.update_or_create(
                kind=WordPressItem.Kind.REPORT,
                wp_key=rel[:255],
                defaults={
                    "content_type": ContentType.objects.get_for_model(Report),
                    "object_id": report.pk,
                    "digest": stamp,
                },
            )
        self.report.count("reports", "created" if created else "updated")
        return report, None

    # -- the body -------------------------------------------------------------------------

    def _rewrite_body(self, soup, problems):
        """Point images and links at what was imported; returns the reports the body links."""
        galleries_mark(soup)
        for frame in soup.find_all("iframe", src=re.compile(r"^(https?:)?//")):
            # An embed (a video, a map) cannot be carried over; a link to it keeps the content.
            src = frame["src"] if not frame["src"].startswith("//") else "https:" + frame["src"]
            link = soup.new_tag("a", href=src)
            link.string = frame.get("title") or src
            paragraph = soup.new_tag("p")
            paragraph.append(link)
            frame.replace_with(paragraph)
            problems.append(f"embedded frame replaced by a link: {src[:100]}")
        for player in soup.find_all(["audio", "video"]):
            self._media_link(soup, player, problems)
        removed = sorted({element.name for element in soup.find_all(UNSAFE_TAGS)})
        if removed:
            names = ", ".join(f"<{name}>" for name in removed)
            problems.append(f"removed by the sanitiser (not allowed in a body here): {names}")
        # The body has one page title above it and allows h2-h4: keep the outline's levels.
        for heading in soup.find_all(["h1", "h5", "h6"]):
            heading.name = {"h1": "h2"}.get(heading.name, "h4")
        for img in soup.find_all("img"):
            src = img.get("src", "")
            rel = uploads_path(src)
            image = self._image(rel, problems, old_url=src) if rel else None
            if rel is None:
                problems.append(f"image from outside the site removed: {src[:100]}")
            if image is None:
                img.decompose()
                continue
            attachment = self._attachment_for(rel) or {}
            alt = _plain(img.get("alt")) or attachment.get("alt", "")
            if not alt:
                problems.append(f"image wp-content/uploads/{rel} has no alt text: add it")
            parent = img.parent
            # A link around an image to its own full-size file (a lightbox) is dropped.
            if parent and parent.name == "a" and uploads_path(parent.get("href", "")):
                parent.unwrap()
            img.replace_with(BeautifulSoup(body_image_html(image, alt), "html.parser"))
        reports = []
        for link in soup.find_all("a", href=True):
            rel = uploads_path(link["href"])
            if rel is None:
                link["href"] = self._local_href(link["href"])
                continue
            extension = self._extension(rel)
            if extension in REPORT_EXTENSIONS:
                report = self._report_file(rel, link.get_text(" ", strip=True), problems)
                if report is not None:
                    link["href"] = report.get_absolute_url()
                    if report not in reports:
                        reports.append(report)
            elif extension in IMAGE_EXTENSIONS:
                image = self._image(rel, problems, old_url=link["href"])
                if image is not None:
                    link["href"] = image.url
            elif extension in MEDIA_EXTENSIONS:
                url = self._media_file(rel, problems)
                if url is not None:
                    link["href"] = url
            else:
                kind = "an older Office format" if extension in OFFICE_EXTENSIONS else "a file"
                problems.append(
                    f"link to {kind} not imported as a report, left pointing at the old site: "
                    f"wp-content/uploads/{rel}"
                )
        _empty_remove(soup)
        return reports

    def _media_file(self, rel, problems):
        """The address here of an audio or video file from --media (stored on first use), or
        None when it is not there: the link then keeps the old site's address, listed."""
        source = self._source(rel)
        if source is None:
            problems.append(
                f"audio or video wp-content/uploads/{rel}: {self._missing(rel)}; "
                "the link still leads to the old site"
            )
            return None
        name = f"wordpress/media/{rel}"
        if source.stat().st_size > settings.REPORTS_MAX_UPLOAD_BYTES:
            problems.append(f"audio or video wp-content/uploads/{rel}: too large to keep here")
            return None
        with source.open("rb") as handle:
            found = media_kind(handle.read(16))
        if found != MEDIA_EXTENSIONS[self._extension(rel)]:
            problems.append(
                f"audio or video wp-content/uploads/{rel}: refused: its content is not "
                f"what its name says ({self._extension(rel)})"
            )
            return None
        # Stored once under its uploads path: a second run finds it there and stores nothing.
        if not self.dry_run and not default_storage.exists(name):
            with source.open("rb") as handle:
                name = default_storage.save(name, File(handle))
        url = default_storage.url(name)
        self._redirect(_old_path(self._uploads_url(rel)), url)
        return url

    def _media_link(self, soup, player, problems):
        """An <audio> or <video> player as a link to its file, which readers can still open."""
        source = player.get("src") or next(
            (s["src"] for s in player.find_all("source", src=True)), ""
        )
        source = source.strip()
        if not source.startswith(("http://", "https://", "/")):
            player.decompose()
            problems.append(f"{player.name} without a file address removed")
            return
        name = posixpath.basename(unquote(urlsplit(source).path)) or source
        link = soup.new_tag("a", href=source)
        link.string = f"{'Listen to' if player.name == 'audio' else 'Watch'} {name} ({player.name})"
        paragraph = soup.new_tag("p")
        paragraph.append(link)
        player.replace_with(paragraph)
        if uploads_path(source) is None:
            problems.append(f"{player.name} player replaced by a link to {source[:100]}")

    def _local_href(self, href):
        """A link to the old site becomes a path here, which its redirects then answer."""
        parts = urlsplit(href)
        old_hosts = {
            urlsplit(url).netloc
            for url in (self.channel.base_site_url, self.channel.base_blog_url)
            if url
        }
        if parts.netloc and parts.netloc in old_hosts:
            return (
                (parts.path or "/")
                + (f"?{parts.query}" if parts.query else "")
                + (f"#{parts.fragment}" if parts.fragment else "")
            )
        return href

    # -- redirects and images --------------------------------------------------------------

    def _redirect(self, old_path, new_path):
        """Have an old address answer 301 with the new one (recorded with the batch)."""
        if not old_path or old_path == new_path or old_path in self._redirected:
            return
        self._redirected.add(old_path)
        if len(old_path) > 200 or len(new_path) > 200:
            self.report.problem(old_path[:80], "address too long for a redirect (200 characters)")
            return
        self._pending[old_path] = new_path

    def _redirects_flush(self):
        # One rule for every redirect (publishing.services), so none leads to another.
        outcome = redirects_record(pairs=self._pending)
        for name, number in outcome.items():
            self.report.counts["redirects"][name] += number
        self._pending = {}

    def _hero_set(self, post, image, alt):
        """Attach the featured image as the post's hero (or clear one the post no longer has)."""
        # The alt text lives on the library image (the attachment's, given when it was made).
        post.hero_image_id = image.pk if image is not None else None


def media_kind(head):
    """What an audio or video file is by its first bytes ("mp3", "mp4", ...), or None."""
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp":
        return "mp4"  # MP4, M4A, M4V and QuickTime share the ISO base media format
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    return None


def _empty_remove(soup):
    """Drop what would be empty once images are gone: links and headings with no text
    (screen readers announce them with no name), figures and list items with nothing in them.

    A figure whose picture is gone keeps its text (its caption) as paragraphs. Innermost first, so a
    list left empty by its items goes too.
    """

    def empty(element):
        return not element.get_text(strip=True) and element.find("img") is None

    for element in reversed(soup.find_all(["a", "h1", "h2", "h3", "h4", "h5", "h6", "p"])):
        if empty(element):
            element.decompose()
    for figure in reversed(soup.find_all("figure")):
        if figure.find("img") is not None:
            continue
        if empty(figure):
            figure.decompose()
            continue
        # No picture, but text (a caption, a link that replaced an embed): kept as paragraphs.
        for caption in figure.find_all("figcaption"):
            caption.name = "p"
        figure.unwrap()
    for element in reversed(soup.find_all(["li", "ul", "ol", "blockquote"])):
        if empty(element):
            element.decompose()


def image_store(source, *, dry_run=False, alt="", title="", caption="", replacing=None):
    """Put an image file into the library, checked exactly as an editor's upload is.

    Through the library's image_create, the one way pictures come in: validated by content,
    stripped of metadata, renditions queued. A WordPress file without alt text is stored
    with its alt text pending (the import lists it as a problem). `replacing`, the
    ImportedImage an earlier run made of this file, gets the new file through image_replace
    (its alt text, tags and uses stay; every page using it shows the new picture). A dry run
    only validates.
    """
    name = source.name
    upload = ContentFile(source.read_bytes(), name=name)
    validate_image(upload)
    if dry_run:
        # A replaced file gets a new address too, so its redirect counts as updated.
        pk = replacing.pk if replacing is not None else None
        return ImportedImage(
            name=f"dry-run/{name}", url=f"{settings.MEDIA_URL}dry-run/{name}", pk=pk
        )
    if replacing is not None:
        image = image_replace(image=Image.objects.get(pk=replacing.pk), file=upload)
    else:
        image = image_create(
            file=upload,
            alt=alt[:250],
            alt_pending=not alt.strip(),
            title=title or posixpath.splitext(name)[0],
            caption=caption[:300],
            tags=["wordpress"],
        )
    return ImportedImage(
        name=image.file.name,
        url=image.file.url,
        width=image.width,
        height=image.height,
        pk=image.pk,
    )


def body_image_html(image, alt):
    """How an imported image sits in a post body: a reference to the library image, which pages
    draw from its renditions (the sanitiser keeps no other kind of <img>). Without alt text
    of its own it shows the library's."""
    if image.pk is None:  # a dry run stores nothing
        return ""
    alt = f' alt="{html.escape(alt)}"' if alt else ""
    return f'<img data-image="{image.pk}"{alt} class="full">'
