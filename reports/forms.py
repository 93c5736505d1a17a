"""Forms for reports: the admin's upload form and the readers' list filters."""

from django import forms
from django.core.files.uploadedfile import UploadedFile

from library.uploads import KeepUploadsMixin
from publishing.admin import PublishableAdminForm
from publishing.pagination import PageFieldsForm
from publishing.widgets import PlainSelect
from reports.files import identify
from reports.models import Report
from topics.forms import TopicFilterField


class ReportAdminForm(KeepUploadsMixin, PublishableAdminForm):
    """Checks a new upload by its bytes before anything is stored; publishing needs the right.
    A good file survives a mistake elsewhere in the form (KeepUploadsMixin)."""

    class Meta:
        model = Report
        fields = [
            "title", "slug", "summary", "topics", "file", "status", "publish_at", "expire_at",
            "cover_image",
            "accessible_format_contact",
        ]  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Only a new upload is checked; an unchanged file was checked when it arrived.
        if isinstance(upload, UploadedFile):
            identify(upload, upload.name)
        return upload


class ReportFilterForm(PageFieldsForm):
    """The /reports/ filters, read from readable query strings: ?topic=net-zero&year=2021."""

    topic = TopicFilterField(
        error_messages={"invalid_choice": "There is no such topic; choose one from the list."}
    )
    year = forms.TypedChoiceField(
        coerce=int,
        widget=PlainSelect,
        required=False,
        empty_value=None,
        error_messages={
            "invalid_choice": "There are no reports from that year; choose one from the list."
        },
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All years")] + [(y, y) for y in years]
