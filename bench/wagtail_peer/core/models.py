"""Snippets (Topic, Contact) and ReportDocument, the custom document model for reports."""

from django.db import models
from django.urls import reverse
from wagtail.admin.panels import FieldPanel
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index
from wagtail.snippets.models import register_snippet


@register_snippet
class Topic(index.Indexed, models.Model):
    """An area of interest: tags news and drives the mailing list sign-up."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("topic_detail", args=[self.slug])


@register_snippet
class Contact(index.Indexed, models.Model):
    """A named person readers can contact about a post or report."""

    name = models.CharField(max_length=255)
    slug = models.SlugField(unique=True)
    job_title = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("email"),
        FieldPanel("phone"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contact_detail", args=[self.slug])


class ReportDocument(AbstractDocument):
    """A downloadable report: Wagtail's document plus what the attachment card shows."""

    page_count = models.PositiveIntegerField(null=True, blank=True)
    accessible_format_contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who readers ask for an accessible version of this file.",
    )

    admin_form_fields = Document.admin_form_fields + ("page_count", "accessible_format_contact")
