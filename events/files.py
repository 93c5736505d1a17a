"""Files attached to an event after it (slides, handouts, a recording), checked by their bytes.

Documents go through the reports' checks (reports.files.identify: PDF, PowerPoint, Word, Excel,
OpenDocument, CSV, each judged by its content, with REPORTS_MAX_UPLOAD_BYTES); a recording may
also be an MP4 video, checked here by its `ftyp` box and held to EVENTS_MAX_RECORDING_BYTES.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify

from reports import files as documents

MP4 = "mp4"
MP4_CONTENT_TYPE = "video/mp4"
# An MP4 (ISO base media) file opens with a box whose type, at bytes 4 to 8, is "ftyp".
MP4_MAGIC = b"ftyp"
ACCEPTED = f"{documents.ACCEPTED}, or an MP4 video"
LABELS = {**dict(documents.FileType.choices), MP4: "MP4 video"}


def extension(name):
    return PurePosixPath(name or "").suffix.lower().lstrip(".")


def identify(upload):
    """(file_type, size) of an accepted upload, or ValidationError saying what is wrong."""
    name = getattr(upload, "name", "") or ""
    if extension(name) != MP4:
        try:
            found = documents.identify(upload, name)
        except ValidationError as error:
            # The reports' message names their formats; an event also takes a video.
            messages = [m.replace(documents.ACCEPTED, ACCEPTED) for m in error.messages]
            raise ValidationError(messages, code="invalid_event_file") from error
        return found.file_type, found.size
    size = documents._size_of(upload)
    limit = settings.EVENTS_MAX_RECORDING_BYTES
    if size == 0:
        raise ValidationError(f"The file is empty. Upload a {ACCEPTED} file.", code="empty")
    if size > limit:
        raise ValidationError(
            f"The video is {filesizeformat(size)}; the largest video accepted is "
            f"{filesizeformat(limit)}. Link to the recording on a video site instead.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if head[4:8] != MP4_MAGIC:
        raise ValidationError(
            f"The file is named .mp4 but its content is not an MP4 video. Upload a {ACCEPTED} "
            "file.",
            code="invalid_event_file",
        )
    return MP4, size


def content_type_for(file_type):
    return MP4_CONTENT_TYPE if file_type == MP4 else documents.content_type_for(file_type)


def stored_name(original_name, file_type):
    """A storage name from the upload's name: slugified, with the checked extension only."""
    stem = slugify(PurePosixPath(original_name or "").stem)[:80].strip("-") or "file"
    return f"{stem}.{file_type}"
