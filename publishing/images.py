"""Uploaded images: checked by content with Pillow, stripped of metadata, cut into renditions."""

import io
import warnings
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
RENDITION_WIDTHS = (480, 960, 1600)
PNG_END = b"IEND\xaeB`\x82"


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
    """Refuse anything but a genuine, bounded JPEG, PNG, WebP or GIF, whatever its name says."""
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
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True, **icc)
    elif fmt == "PNG":
        image.save(out, "PNG", **icc)
    else:
        image.save(out, "WEBP", quality=85, **icc)
    return out.getvalue()


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def image_process(field_file):
    """Strip metadata from the stored image and write its renditions; return what pages need.

    Returns {"width", "height", "fallback_type",
    "sources": [{"w", "h", "webp", "fallback", "fallback_bytes"}]}
    with storage paths, so a page builds `srcset` without a query or a file read.
    """
    storage = field_file.storage
    with storage.open(field_file.name, "rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    fmt = ACCEPTED_FORMATS[image.format].upper()
    clean = _clean_copy(image, fmt)
    storage.delete(field_file.name)
    field_file.name = storage.save(field_file.name, ContentFile(clean))

    image = ImageOps.exif_transpose(Image.open(io.BytesIO(clean)))
    image.load()
    alpha = _has_alpha(image)
    fallback_fmt, fallback_ext = (
        ("PNG", "png") if alpha or fmt in {"PNG", "GIF"} else ("JPEG", "jpg")
    )
    base = image.convert("RGBA" if alpha else "RGB")
    stem = PurePosixPath(field_file.name)
    folder = f"renditions/{stem.parent}/{stem.stem}"
    widths = [w for w in RENDITION_WIDTHS if w <= base.width]
    if base.width < RENDITION_WIDTHS[-1] and base.width not in widths:
        widths.append(base.width)  # never upscale; the full width when it falls between steps
    fallback_options = {"quality": 82, "optimize": True} if fallback_fmt == "JPEG" else {}
    sources = []
    source = base
    for width in reversed(widths):  # largest first, each cut from the previous: much faster
        height = max(1, round(base.height * width / base.width))
        if width != source.width:
            source = source.resize((width, height), Image.LANCZOS, reducing_gap=3.0)
        resized = source
        paths = {}
        for key, save_fmt, ext, options in (
            ("webp", "WEBP", "webp", {"quality": 80}),
            ("fallback", fallback_fmt, fallback_ext, fallback_options),
        ):
            out = io.BytesIO()
            resized.save(out, save_fmt, **options)
            paths[key] = storage.save(f"{folder}-{width}.{ext}", ContentFile(out.getvalue()))
        # Kept so feeds can give the enclosure's length without asking the storage (an
        # HTTP request per item when the files are in a bucket).
        paths["fallback_bytes"] = out.tell()
        sources.insert(0, {"w": width, "h": height, **paths})
    return {
        "width": base.width,
        "height": base.height,
        "fallback_type": f"image/{fallback_fmt.lower()}",
        "sources": sources,
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
    validate_image(value)


class CheckedImageFormField(forms.ImageField):
    """Gives our reasons (SVG, too big, appended data...) before Django's generic message."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "read"):
            validate_image(data)
        return super().to_python(data)


class CheckedImageField(models.ImageField):
    """An image upload checked by content, for hero images, contact photos and report covers."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_stored_or_new_image])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})
