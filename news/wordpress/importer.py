"""One run of the WordPress import: posts, topics and old addresses, idempotently (the files
are media.py's, the body's rewriting rewrite.py's)."""

import html
import logging
import re
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.text import Truncator, slugify

from library.models import Image
from news.models import Post, WordPressItem
from news.wordpress.body import body_prepare, uploads_path
from news.wordpress.fetch import Fetcher
from news.wordpress.media import FETCH_MAX_BYTES, UploadsImport
from news.wordpress.report import ImportReport, ItemRefused
from news.wordpress.rewrite import BodyRewrite
from news.wordpress.values import (
    export_digest,
    gmt_date,
    local_date,
    plain_text,
    request_path,
    wp_number,
)
from news.wordpress.wxr import Channel, read_export
from publishing.models import Status, published_fields
from publishing.richtext import sanitise_html
from publishing.services import (
    publishable_save,
    redirects_record,
)
from publishing.statistics import analyze
from reports.models import Report
from topics.models import Topic

logger = logging.getLogger(__name__)

SKIPPED_STATUSES = {
    "private": "private posts are not imported (readers of the old site could not see them)",
    "trash": "posts in the WordPress trash are not imported",
    "auto-draft": "automatic drafts are not imported",
}
# What the sanitiser drops whole and a reader would miss: embeds, forms, scripts.
BATCH = 100  # posts per transaction: fewer commits, while each post keeps its own savepoint
STANDFIRST_MAX = 600


class WordPressImport(BodyRewrite, UploadsImport):
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
                wp_id = wp_number(item.get("wp:post_id"))
                self.attachments[wp_id] = {
                    "path": rel,
                    "url": url.strip() or item.get("guid", "").strip(),
                    "parent": wp_number(item.get("wp:post_parent")),
                    "order": wp_number(item.get("wp:menu_order")),
                    "title": plain_text(item.get("title")),
                    "alt": plain_text(item["meta"].get("_wp_attachment_image_alt")),
                    "caption": plain_text(item.get("excerpt:encoded")),
                    "description": plain_text(item.get("content:encoded")),
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
        label = f"post {item.get('wp:post_id', '?')} “{plain_text(item.get('title'))[:60]}”"
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
        thumbnail = self.attachments.get(wp_number(item["meta"].get("_thumbnail_id")) or -1)
        refs = self._references(soup, thumbnail)
        digest = export_digest(
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
        standfirst = plain_text(item.get("excerpt:encoded"))
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
            post.title = plain_text(item.get("title"))[:200] or f"Untitled (WordPress post {wp_id})"
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
        when = gmt_date(item.get("wp:post_date_gmt"))
        if when is not None or draft:
            return when  # WordPress leaves a draft's GMT date empty until a date is chosen
        when = local_date(item.get("wp:post_date"))
        if when is None and item.get("pubDate"):
            try:
                when = parsedate_to_datetime(item["pubDate"])
            except (TypeError, ValueError):
                when = None
        return when

    def _wp_slug(self, item):
        slug = slugify(unquote(item.get("wp:post_name") or "")) or slugify(
            plain_text(item.get("title"))
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
        paths = [request_path(item.get("link")), f"/?p={wp_id}"]
        guid = request_path(item.get("guid"))
        if guid and guid not in paths:
            paths.append(guid)
        return [p for p in paths if p and p != "/"]

    def _first_paragraph(self, body):
        """The standfirst from the body's first paragraph, taken out of the body if it fits."""
        found = re.search(r"<p>(.*?)</p>", body, re.S)
        if not found:
            return plain_text(body), body
        text = plain_text(found[1])
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
                        slug=slug,
                        name=name,
                        description=term.description if term else "",
                        # Made for the posts imported with it: live with them (import is the
                        # system, which publishes without review).
                        **published_fields(),
                    )
                outcome = "created"
            except Exception as exc:
                problems.append(f"topic “{name}” could not be made: {exc}")
                return None
        self.report.count("topics", outcome)
        self._topics[slug] = topic
        return topic

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
