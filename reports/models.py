"""Report: a downloadable publication, such as the Medicines Manufacturing impact report."""

from pathlib import PurePosixPath

from django.db import models
from django.urls import reverse

from publishing.models import Publishable


class Report(Publishable):
    summary = models.TextField(help_text="Two or three sentences on what the report covers.")
    file = models.FileField(upload_to="reports/%Y/", help_text="The document readers download.")
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="reports")
    # Facts read from the file when it is uploaded, never during a page request.
    file_type = models.CharField(max_length=10, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    page_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    extracted_text = models.TextField(blank=True, editable=False)
    file_note = models.TextField(
        blank=True, editable=False, help_text="What could not be read from the file, if anything."
    )
    download_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta(Publishable.Meta):
        pass

    def get_absolute_url(self):
        return reverse("reports:detail", kwargs={"slug": self.slug})

    def get_download_url(self):
        return reverse("reports:download", kwargs={"slug": self.slug})

    @property
    def file_extension(self):
        return PurePosixPath(self.file.name).suffix.lower()

    def download_filename(self):
        """A safe name for the saved file, made from the slug rather than the upload's name."""
        return f"{self.slug}{self.file_extension}"
