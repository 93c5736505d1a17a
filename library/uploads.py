"""Uploads that survive a validation error: a file chosen in a form that fails for another
reason is kept in storage and named by a signed reference in the form, so the editor need
not choose it again; the next submit uses it unless they choose another.

Kept files live under pending-uploads/ in the default storage (shared by every app server,
like the uploads themselves) under a random name without extension, so nothing serves them
as documents; each is re-checked like a fresh upload when used. They are deleted when used
or, unused, after PUBLISHING_PENDING_UPLOAD_HOURS (swept whenever another file is kept, so
no cron is needed).
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html

logger = logging.getLogger(__name__)

PREFIX = "pending-uploads"
SALT = "publishing.pending-upload"
KEPT_SUFFIX = "__kept"


def _max_age():
    return timedelta(hours=getattr(settings, "PUBLISHING_PENDING_UPLOAD_HOURS", 24))


def keep_upload(upload):
    """Store `upload` for a later submit; return the signed reference to it.

    An image (already checked by content) is kept without its metadata, like any stored
    image: a phone's position must not sit in storage even for a day.
    """
    sweep_pending_uploads()
    content, size = upload, upload.size
    if getattr(upload, "checked_image", False):
        from library.images import image_clean

        upload.seek(0)
        try:
            content = ContentFile(image_clean(upload.read()).data)
        except ValidationError:
            return None  # pixels that cannot be decoded: not worth keeping
        size = content.size
    name = default_storage.save(f"{PREFIX}/{uuid.uuid4().hex}", content)
    return signing.dumps(
        {"path": name, "name": upload.name, "size": size, "type": upload.content_type},
        salt=SALT,
        compress=True,
    )


def kept_upload(reference):
    """The kept file named by a signed `reference`, as an upload to validate again; None if the
    reference is forged, too old, or its file is gone."""
    try:
        kept = signing.loads(reference, salt=SALT, max_age=_max_age())
    except signing.BadSignature:
        return None
    path = kept.get("path", "")
    if not path.startswith(f"{PREFIX}/") or not default_storage.exists(path):
        return None
    upload = UploadedFile(
        file=default_storage.open(path, "rb"),
        name=kept["name"],
        content_type=kept.get("type"),
        size=kept["size"],
    )
    upload.kept_path = path
    return upload


def discard_kept(upload):
    path = getattr(upload, "kept_path", None)
    if path:
        upload.close()
        default_storage.delete(path)


def sweep_pending_uploads(now=None):
    """Delete kept files older than the age limit; returns how many went."""
    limit = (now or timezone.now()) - _max_age()
    try:
        _dirs, files = default_storage.listdir(PREFIX)
    except (FileNotFoundError, NotImplementedError):
        return 0
    removed = 0
    for name in files:
        path = f"{PREFIX}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed


class KeptFileInput(AdminFileWidget):
    """The admin's file input, plus the reference to a kept upload and a line saying so."""

    kept = None  # (reference, file name, size), set by KeepUploadsMixin
    hide_current = False  # set for a stored file readers may not be linked to yet

    def is_initial(self, value):
        return not self.hide_current and super().is_initial(value)

    def use_required_attribute(self, initial):
        return super().use_required_attribute(initial) and not self.kept

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.kept:
            return html
        reference, filename, size = self.kept
        return html + format_html(
            '<input type="hidden" name="{}" value="{}">'
            '<p class="help kept-upload" role="status">Kept: <strong>{}</strong> ({}) — '
            "choose another file to replace it.</p>",
            name + KEPT_SUFFIX,
            reference,
            filename,
            filesizeformat(size),
        )


class KeepUploadsMixin:
    """For a ModelForm: a file field's upload is kept when the form fails for another reason,
    and used again on the next submit unless a new file is chosen."""

    keep_upload_fields = ("file",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.keep_upload_fields:
            if name not in self.fields:
                continue
            self.fields[name].widget = KeptFileInput(attrs=self.fields[name].widget.attrs)
            if not self.is_bound or self.files.get(name):
                continue
            upload = kept_upload(self.data.get(name + KEPT_SUFFIX, ""))
            if upload is not None:
                self.files = self.files.copy()
                self.files[name] = upload

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self.errors or self.data.get("_preview"):
            return
        for name in self.keep_upload_fields:
            upload = self.cleaned_data.get(name)
            if name not in self.fields or name in self.errors:
                continue  # a refused file is not kept: the editor must choose another
            if not isinstance(upload, UploadedFile):
                continue
            if getattr(upload, "kept_path", None):
                reference = self.data.get(name + KEPT_SUFFIX)
            else:
                upload.seek(0)
                reference = keep_upload(upload)
                upload.seek(0)
                if reference is None:
                    continue
            self.fields[name].widget.kept = (reference, upload.name, upload.size)

    def kept_uploads_done(self):
        """After a successful save: delete the kept copies that were used."""
        for name in self.keep_upload_fields:
            discard_kept(self.files.get(name))
