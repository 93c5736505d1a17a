"""Report: a downloadable publication, such as the Medicines Manufacturing impact report."""

from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from contacts.models import Contact
from publishing.addresses import slug_url
from publishing.models import Publishable
from publishing.search import search_vector_field
from reports.files import FileType, content_type_for, extension_type, stored_name


def report_upload_to(instance, filename):
    """reports/<year>/<slugified-name>.<ext>: no path from the upload survives but its slug."""
    file_type = extension_type(filename) or "bin"
    return f"reports/{timezone.now():%Y}/{stored_name(filename, file_type)}"


def is_report_file(name):
    """Whether a media path is (or could be) a report's file, which only the download view
    may serve: it checks that the report is live, and counts the download. Covers are
    images, public like every other."""
    if name.startswith("reports/") and not name.startswith("reports/covers/"):
        return True
    return Report.objects.filter(file=name).exists()


class Report(Publishable):
    summary = models.TextField(help_text="Two or three sentences on what the report covers.")
    file = models.FileField(
        upload_to=report_upload_to,
        max_length=200,
        help_text=(
            "The document readers download: PDF, Word (.docx), Excel (.xlsx), PowerPoint "
            "(.pptx), OpenDocument (.odt, .ods) or CSV. Its pages and text are read on upload."
        ),
    )
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="reports")
    # Facts read from the file when it is uploaded, never during a page request.
    file_type = models.CharField(
        max_length=10, blank=True, editable=False, choices=FileType.choices
    )
    file_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    page_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    extracted_text = models.TextField(blank=True, editable=False)
    file_note = models.TextField(
        blank=True, editable=False, help_text="What could not be read from the file, if anything."
    )
    download_count = models.PositiveIntegerField(default=0, editable=False)
    # Filled by a database trigger on PostgreSQL (see publishing.search).
    search_vector = search_vector_field()
    # Title and summary only, what search ranks by (publishing.search.rank_vector_operation).
    rank_vector = search_vector_field()
    cover_image = models.ForeignKey(
        "library.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="used_as_cover",
        verbose_name="cover",
        help_text="The report's cover, from the library (or upload one there).",
    )
    # Readers who cannot use the file must be sent to a named person, as GOV.UK does; reports
    # may import contacts (the import contracts in pyproject.toml), never the other way.
    accessible_format_contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="accessible format contact",
        help_text=(
            "Who readers ask for this report in another format (large print, plain text, "
            "braille...). Leave empty for the site-wide accessibility contact."
        ),
    )
    preview_links = GenericRelation("publishing.PreviewLink")

    class Meta(Publishable.Meta):
        permissions = [("publish_report", "Can publish reports")]

    def get_absolute_url(self):
        return slug_url("reports:detail", self.slug)

    @classmethod
    def download_formats(cls):
        """[(format, label)] a report's downloads are counted by (dashboard.counts)."""
        return list(FileType.choices)

    def get_download_url(self):
        return slug_url("reports:download", self.slug)

    def content_checks(self):
        """The report's own check before publishing (publishing.content_checks): a file whose
        text could not be read is an image of text to a screen reader."""
        from publishing.content_checks import Finding

        if not self.file or not self.file_type or self.extracted_text.strip():
            return []
        return [
            Finding(
                "file",
                "File",
                "No text could be read from the file (a scan, or pictures of text): screen "
                "readers and search find nothing in it.",
                "Upload a version with real text (export it from the original document, or "
                "run OCR on the scan), and name an accessible format contact.",
            )
        ]

    @property
    def content_type(self):
        return content_type_for(self.file_type or extension_type(self.file.name))

    def attachment_facts(self):
        """What a reader needs before downloading, as GOV.UK puts it: "PDF, 2.3 MB, 48 pages"."""
        facts = [self.get_file_type_display() or self.file_extension.lstrip(".").upper()]
        if self.file_size is not None:
            facts.append(filesizeformat(self.file_size))
        if self.page_count:
            noun = "slide" if self.file_type == FileType.PPTX else "page"
            facts.append(f"{self.page_count} {noun}{'' if self.page_count == 1 else 's'}")
        return ", ".join(fact for fact in facts if fact)

    def accessible_format(self):
        """Where "Request an accessible format" leads: {"url", "contact"}.

        This report's contact when active, else the site-wide one
        (REPORTS_ACCESSIBLE_FORMAT_CONTACT, a contact's slug), else the address
        REPORTS_ACCESSIBLE_FORMAT_URL (a mailto: or a page) with no name.
        """
        contact = self.accessible_format_contact
        if contact is None or not contact.is_active or not contact.is_live:
            contact = None
            if settings.REPORTS_ACCESSIBLE_FORMAT_CONTACT:
                contact = (
                    Contact.objects.active()
                    .filter(slug=settings.REPORTS_ACCESSIBLE_FORMAT_CONTACT)
                    .first()
                )
        if contact is None:
            return {"url": settings.REPORTS_ACCESSIBLE_FORMAT_URL, "contact": None}
        return {"url": contact.get_absolute_url(), "contact": contact}

    @property
    def file_extension(self):
        return PurePosixPath(self.file.name).suffix.lower()

    def download_filename(self):
        """A safe name for the saved file, made from the slug rather than the upload's name."""
        return f"{self.slug}{self.file_extension}"
