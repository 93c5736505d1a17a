"""The uploads a WordPress export names: found in --media (or fetched), checked like an
editor's upload, and kept as library images, reports or audio and video files."""

import html
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from library.images import validate_image
from library.models import Image
from library.services import image_create, image_replace
from news.models import WordPressItem
from news.wordpress.body import UPLOADS, uploads_path
from news.wordpress.fetch import FetchRefused
from news.wordpress.values import plain_text, request_path
from reports.files import FileType, identify
from reports.models import Report
from reports.services import report_file_read

IMAGE_EXTENSIONS = {"jpg", "jpeg", "jpe", "png", "gif", "webp"}
REPORT_EXTENSIONS = set(FileType.values)
OFFICE_EXTENSIONS = {"doc", "xls", "ppt", "rtf"}  # older formats reports do not accept
SIZED = re.compile(r"^(?P<stem>.+)-\d+x\d+(?P<ext>\.\w+)$")
# Audio and video kept as files readers can download, by extension and the content it implies.
MEDIA_EXTENSIONS = {
    "mp3": "mp3", "m4a": "mp4", "mp4": "mp4", "m4v": "mp4", "mov": "mp4", "ogg": "ogg",
    "oga": "ogg", "ogv": "ogg", "wav": "wav", "flac": "flac", "webm": "webm",
}  # fmt: skip
FILE_EXTENSIONS = IMAGE_EXTENSIONS | REPORT_EXTENSIONS | set(MEDIA_EXTENSIONS)
FETCH_MAX_BYTES = 2 * 1024**3  # --fetch-max-mb's default: all files of one run together


@dataclass
class ImportedImage:
    """An image carried over: where it is stored and what pages need to show it."""

    name: str
    url: str
    width: int | None = None
    height: int | None = None
    renditions: dict = field(default_factory=dict)  # no longer filled: the library has them
    pk: int | None = None  # the library.Image it became


class UploadsImport:
    """The import's files: a part of WordPressImport (importer.py), which sets up the state
    these read (media_dir, fetcher, attachments, channel, report) and gives the publication
    and redirect rules (_publication_set, _unique_slug, _redirect)."""

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
            self._redirect(request_path(url), image.url)
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
        self._redirect(request_path(self._uploads_url(rel)), report.get_download_url())
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
                title = (
                    attachment.get("title") or plain_text(link_text) or posixpath.splitext(name)[0]
                )
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
        self._redirect(request_path(self._uploads_url(rel)), url)
        return url


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
