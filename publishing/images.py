"""Image files: checked by content with Pillow, stripped of metadata, cut into renditions."""

import io
import math
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
RENDITION_WIDTHS = (480, 960, 1600)
SHARE_SIZE = (1200, 630)  # the card Open Graph and X show
PNG_END = b"IEND\xaeB`\x82"
ORIENTATION = 0x0112  # the EXIF tag that says which way up a camera held the picture


def _max_bytes():
    return settings.IMAGE_MAX_BYTES


def _max_pixels():
    return settings.IMAGE_MAX_PIXELS


def _read(file):
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def validate_image(file):
    """Refuse anything but a genuine, bounded JPEG, PNG, WebP or GIF, whatever its name says.

    A file that passed is marked, so the form field, the model field and the library's
    service (which all call this) decode a large photo once, not three times.
    """
    if getattr(file, "checked_image", False):
        return
    size = getattr(file, "size", None)
    if size == 0:
        raise ValidationError("The file is empty (0 bytes).", code="empty")
    if size is not None and size > _max_bytes():
        raise ValidationError(
            "The image is %(size)s MB; the limit is %(limit)s MB. Export it smaller and try again.",
            code="too_large",
            params={"size": round(size / 1048576, 1), "limit": _max_bytes() // 1048576},
        )
    data = _read(file)
    if not data:
        raise ValidationError("The file is empty (0 bytes).", code="empty")
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg")) or b"<svg" in head:
        raise ValidationError(
            "SVG images are not accepted: they can carry scripts. Upload a JPEG, PNG, WebP or GIF.",
            code="svg",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            fmt = image.format
            width, height = image.size
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ) as exc:
            if isinstance(exc, UnidentifiedImageError):
                raise ValidationError(
                    "This file is not a JPEG, PNG, WebP or GIF image, whatever its name says.",
                    code="not_image",
                ) from exc
            raise _too_many_pixels() from exc
    if fmt not in ACCEPTED_FORMATS:
        raise ValidationError(
            "%(format)s images are not accepted. Upload a JPEG, PNG, WebP or GIF.",
            code="format",
            params={"format": fmt},
        )
    if width * height > _max_pixels():
        raise _too_many_pixels()
    if fmt == "PNG" and not data.endswith(PNG_END):
        raise ValidationError(
            "This PNG has extra data after the end of the picture (sometimes hidden code). "
            "Re-export it from an image editor and upload it again.",
            code="trailing_data",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.open(io.BytesIO(data)).verify()
            Image.open(io.BytesIO(data)).load()
    except Exception as exc:  # Pillow raises many types for a damaged file
        raise ValidationError(
            "The image is damaged or incomplete and cannot be read.", code="damaged"
        ) from exc
    file.checked_image = True


def _too_many_pixels():
    return ValidationError(
        "The image has too many pixels (the limit is %(limit)s million). Resize it and try again.",
        code="too_many_pixels",
        params={"limit": _max_pixels() // 1_000_000},
    )


def _clean_copy(image, fmt):
    """Re-encode without EXIF, GPS or camera data, keeping the picture the right way up."""
    out = io.BytesIO()
    if fmt == "GIF":
        image.save(out, "GIF", save_all=getattr(image, "n_frames", 1) > 1)
        return out.getvalue()
    # The colour profile is kept (photos would shift colour without it); EXIF, XMP and the
    # rest are not passed on, so the new file carries no GPS position or camera details.
    icc = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    # Only a turned photo is transposed, and only an odd mode converted: each is a full copy,
    # a third of a second on a 24-megapixel photo, and this runs while the editor waits.
    if image.getexif().get(ORIENTATION, 1) != 1:
        image = ImageOps.exif_transpose(image)
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        # Not optimize=True: a few per cent smaller, but three times slower to write, for a
        # file readers only get until its renditions exist.
        image.save(out, "JPEG", quality=88, **icc)
    elif fmt == "PNG":
        image.save(out, "PNG", **icc)
    else:
        image.save(out, "WEBP", quality=85, **icc)
    return out.getvalue()


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


@dataclass(frozen=True)
class CleanImage:
    """An accepted upload re-encoded without metadata, and what the library records of it."""

    data: bytes
    format: str  # JPEG, PNG, WEBP or GIF
    width: int
    height: int

    @property
    def extension(self):
        return {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[self.format]


def image_clean(data):
    """Strip EXIF, GPS and camera data from an accepted image, keeping it the right way up.

    Runs before the file is stored anywhere: the original is linked from pages until its
    renditions exist, so it must never carry a phone's position.
    """
    image = Image.open(io.BytesIO(data))
    fmt = ACCEPTED_FORMATS[image.format].upper()
    clean = _clean_copy(image, fmt)
    with Image.open(io.BytesIO(clean)) as stored:
        width, height = stored.size
    return CleanImage(data=clean, format=fmt, width=width, height=height)


def share_crop_box(width, height, focal=None):
    """The largest 1200x630-shaped box in the picture, centred on the focal point if it fits.

    `focal` is (x, y) as fractions of the width and height; without one, the centre.
    """
    ratio = SHARE_SIZE[0] / SHARE_SIZE[1]
    if width / height > ratio:
        crop_w, crop_h = max(1, round(height * ratio)), height
    else:
        crop_w, crop_h = width, max(1, round(width / ratio))
    fx, fy = focal if focal else (0.5, 0.5)
    left = min(max(round(fx * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(fy * height - crop_h / 2), 0), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


def _saved(storage, name, image, fmt, options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return storage.save(name, ContentFile(out.getvalue())), out.tell()


def renditions_make(storage, name, *, focal=None):
    """Cut the stored (already clean) image `name` into renditions; return what pages need.

    Returns {"for": name, "width", "height", "fallback_type",
    "sources": [{"w", "h", "webp", "fallback", "fallback_bytes"}],
    "share": {"path", "w", "h", "bytes", "type"}} with storage paths, so a page builds
    `srcset` without a query or a file read. Runs in a background task, never in a request.
    """
    with storage.open(name, "rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    full_w, full_h = image.size
    fmt = ACCEPTED_FORMATS[image.format].upper()
    crop = share_crop_box(full_w, full_h, focal)
    if fmt == "JPEG":
        # Decode at 1/2, 1/4 or 1/8 scale when that still covers the largest rendition and
        # the share card: a 24-megapixel photo then decodes several times faster.
        scale = max(
            RENDITION_WIDTHS[-1] / full_w,
            SHARE_SIZE[0] / (crop[2] - crop[0]),
            SHARE_SIZE[1] / (crop[3] - crop[1]),
        )
        if scale < 1:
            image.draft("RGB", (math.ceil(full_w * scale), math.ceil(full_h * scale)))
    image.load()
    alpha = _has_alpha(image)
    fallback_fmt, fallback_ext = (
        ("PNG", "png") if alpha or fmt in {"PNG", "GIF"} else ("JPEG", "jpg")
    )
    base = image.convert("RGBA" if alpha else "RGB")
    factor = base.width / full_w  # below 1 when decoded at a reduced scale
    stem = PurePosixPath(name)
    folder = f"renditions/{stem.parent}/{stem.stem}"
    widths = [w for w in RENDITION_WIDTHS if w <= full_w]
    if full_w < RENDITION_WIDTHS[-1] and full_w not in widths:
        widths.append(full_w)  # never upscale; the full width when it falls between steps
    fallback_options = {"quality": 82, "optimize": True} if fallback_fmt == "JPEG" else {}
    sources = []
    source = base
    for width in reversed(widths):  # largest first, each cut from the previous: much faster
        height = max(1, round(full_h * width / full_w))
        if (width, height) != source.size:
            source = source.resize((width, height), Image.LANCZOS, reducing_gap=3.0)
        paths = {}
        paths["webp"], _ = _saved(
            storage, f"{folder}-{width}.webp", source, "WEBP", {"quality": 80}
        )
        # The size is kept so feeds can give an enclosure's length without asking the
        # storage (an HTTP request per item when the files are in a bucket).
        paths["fallback"], paths["fallback_bytes"] = _saved(
            storage, f"{folder}-{width}.{fallback_ext}", source, fallback_fmt, fallback_options
        )
        sources.insert(0, {"w": width, "h": height, **paths})
    box = tuple(edge * factor for edge in crop)
    crop_w, crop_h = crop[2] - crop[0], crop[3] - crop[1]
    share_size = SHARE_SIZE if crop_w >= SHARE_SIZE[0] else (crop_w, crop_h)  # never upscaled
    card = base.resize(share_size, Image.LANCZOS, box=box, reducing_gap=3.0)
    share_path, share_bytes = _saved(
        storage, f"{folder}-share.{fallback_ext}", card, fallback_fmt, fallback_options
    )
    return {
        "for": name,
        "focal": list(focal) if focal else None,
        "width": full_w,
        "height": full_h,
        "fallback_type": f"image/{fallback_fmt.lower()}",
        "sources": sources,
        "share": {
            "path": share_path,
            "w": share_size[0],
            "h": share_size[1],
            "bytes": share_bytes,
            "type": f"image/{fallback_fmt.lower()}",
        },
    }


def alt_text_error(image, alt, decorative):
    """The message for an image with neither alt text nor the "decorative" box, else None."""
    if image and not decorative and not (alt or "").strip():
        return "Describe the image, or tick “decorative” if it adds nothing."
    return None


def validate_stored_or_new_image(value):
    """Model-level check: a new upload is validated; a file already stored was, when it came."""
    if getattr(value, "_committed", True):
        return
    validate_image(value.file)  # the upload itself, which carries the form's "checked" mark


class CheckedImageFormField(forms.ImageField):
    """Gives our reasons (SVG, too big, appended data...) before Django's generic message."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "read"):
            validate_image(data)
        return super().to_python(data)


class CheckedImageField(models.ImageField):
    """An image upload checked by content: the library's file field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_stored_or_new_image])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})
