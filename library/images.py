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
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
RENDITION_WIDTHS = (480, 960, 1600)
SHARE_SIZE = (1200, 630)  # the card Open Graph and X show
PNG_END = b"IEND\xaeB`\x82"
ORIENTATION = 0x0112  # the EXIF tag that says which way up a camera held the picture
DAMAGED = "The image is damaged or incomplete and cannot be read."


def _max_bytes():
    return settings.IMAGE_MAX_BYTES


def _max_pixels():
    return settings.IMAGE_MAX_PIXELS


def _max_frames():
    return settings.IMAGE_MAX_FRAMES


def _max_animation_pixels():
    return settings.IMAGE_MAX_ANIMATION_PIXELS


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
    _check_frames(data, width, height)
    if fmt == "PNG" and not data.endswith(PNG_END):
        raise ValidationError(
            "This PNG has extra data after the end of the picture (sometimes hidden code). "
            "Re-export it from an image editor and upload it again.",
            code="trailing_data",
        )
    try:
        # verify() checks the file's structure (a PNG's checksums) without decoding the
        # pixels: a full decode of a 24-megapixel photo takes half a second, so it is left to
        # the worker, which decodes anyway and marks a file that fails there as failed.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.open(io.BytesIO(data)).verify()
    except Exception as exc:  # Pillow raises many types for a damaged file
        raise ValidationError(DAMAGED, code="damaged") from exc
    file.checked_image = True


def _check_frames(data, width, height):
    """Refuse an animation with too many frames, or too many pixels across its frames.

    Each frame of an animation is decoded onto the whole canvas, so a small file of many
    large frames (60 frames of 4000 x 4000 in 776 KB) costs what a giant picture does.
    Counting frames only walks the file's block headers: nothing is decoded.
    """
    try:
        frames = getattr(Image.open(io.BytesIO(data)), "n_frames", 1)
    except Exception as exc:  # Pillow raises many types for a damaged file
        raise ValidationError(DAMAGED, code="damaged") from exc
    if frames > _max_frames():
        raise ValidationError(
            "This animation has %(frames)s frames; the limit is %(limit)s. "
            "Shorten it, or upload a still image.",
            code="too_many_frames",
            params={"frames": frames, "limit": _max_frames()},
        )
    if frames > 1 and frames * width * height > _max_animation_pixels():
        raise ValidationError(
            "This animation has %(frames)s frames of %(width)s x %(height)s pixels: too many "
            "pixels in all (the limit is %(limit)s million across its frames). Make it "
            "smaller or shorter and try again.",
            code="too_many_animation_pixels",
            params={
                "frames": frames,
                "width": width,
                "height": height,
                "limit": _max_animation_pixels() // 1_000_000,
            },
        )


def _too_many_pixels():
    return ValidationError(
        "The image has too many pixels (the limit is %(limit)s million). Resize it and try again.",
        code="too_many_pixels",
        params={"limit": _max_pixels() // 1_000_000},
    )


# The only things an image file may carry besides its pixels: how a PNG or GIF marks its
# transparent colour. Everything else Pillow reads into `info` (EXIF, XMP, comments, text
# chunks, ICC profiles, which may hold any text) is left behind, because Pillow writes
# some of it back from `info` unless told otherwise.
KEPT_INFO = ("transparency",)


def _in_srgb(image):
    """The picture converted from its embedded colour profile to sRGB, which browsers assume
    for an image without one: the profile (free text of its author's choosing) is not kept,
    and the colours still look right. A profile that cannot be applied is dropped."""
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    mode = {"RGB": "RGB", "RGBA": "RGBA", "CMYK": "RGB"}.get(image.mode)
    if mode is None:
        return image  # greyscale or palette: the profile is dropped, the greys kept
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted or image


def _clean_copy(image, fmt):
    """Re-encode with nothing but the pixels: no EXIF, GPS, XMP, comment, text or profile,
    keeping the picture the right way up and its colours right."""
    out = io.BytesIO()
    # Only a turned photo is transposed, and only an odd mode converted: each is a full copy,
    # a third of a second on a 24-megapixel photo, and this runs while the editor waits.
    if image.getexif().get(ORIENTATION, 1) != 1:
        image = ImageOps.exif_transpose(image)
    image = _in_srgb(image)
    image.info = {key: value for key, value in image.info.items() if key in KEPT_INFO}
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        # Not optimize=True: a few per cent smaller, but three times slower to write, for a
        # file readers only get until its renditions exist.
        image.save(out, "JPEG", quality=88)
    elif fmt == "PNG":
        image.save(out, "PNG")
    else:
        image.save(out, "WEBP", quality=85)
    return out.getvalue()


# GIF blocks (GIF89a specification): what may stay is the pictures, their palettes and
# timing (graphic control extension) and the loop count (the NETSCAPE2.0 application
# extension); comments, plain-text blocks and every other application extension (XMP,
# ICC profiles, editors' own data) are dropped, as is anything after the trailer.
GIF_EXTENSION, GIF_IMAGE, GIF_TRAILER = 0x21, 0x2C, 0x3B
GIF_GRAPHIC_CONTROL, GIF_APPLICATION = 0xF9, 0xFF
GIF_LOOP_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


def _gif_sub_blocks(data, at):
    """The offset just past the sub-blocks starting at `at` (each a length byte and data,
    ended by a zero length)."""
    while True:
        size = data[at]
        at += 1
        if size == 0:
            return at
        at += size


def _gif_without_metadata(data):
    """The GIF's blocks that make up its pictures, copied byte for byte without the rest.

    Nothing is decoded or re-encoded, so a long animation costs the time to copy its bytes;
    the renditions task (in the worker) is what decodes it. Raises ValidationError for a
    file whose blocks do not add up (Pillow opened it, so this is rare).
    """
    try:
        packed = data[10]
        at = 13 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0)
        kept = [data[:at]]
        while True:
            introducer = data[at]
            if introducer == GIF_TRAILER:
                kept.append(data[at : at + 1])
                return b"".join(kept)
            if introducer == GIF_IMAGE:
                packed = data[at + 9]
                start = at
                at += 10 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0)
                at = _gif_sub_blocks(data, at + 1)  # after the LZW minimum code size
                kept.append(data[start:at])
            elif introducer == GIF_EXTENSION:
                label, start = data[at + 1], at
                at = _gif_sub_blocks(data, at + 2)
                block = data[start:at]
                if label == GIF_GRAPHIC_CONTROL or (
                    label == GIF_APPLICATION and block[3:14] in GIF_LOOP_APPLICATIONS
                ):
                    kept.append(block)
            else:
                raise ValueError(f"unknown GIF block {introducer:#x}")
    except (IndexError, ValueError) as exc:
        raise ValidationError(DAMAGED, code="damaged") from exc


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
    """Strip everything but the pixels from an accepted image, keeping it the right way up.

    Its result is the only file readers are ever linked to: an editor's upload is stored as
    it came only where nothing links it, until the worker has run this on it. Raises
    ValidationError for pixels that cannot be decoded.
    """
    try:
        image = Image.open(io.BytesIO(data))
        fmt = ACCEPTED_FORMATS[image.format].upper()
        clean = _gif_without_metadata(data) if fmt == "GIF" else _clean_copy(image, fmt)
        with Image.open(io.BytesIO(clean)) as stored:
            width, height = stored.size
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many types for pixels that cannot be decoded
        raise ValidationError(DAMAGED, code="damaged") from exc
    return CleanImage(data=clean, format=fmt, width=width, height=height)


def upright_size(data):
    """(width, height) of an accepted image as readers will see it (a photo taken sideways
    turned), read from its header: nothing is decoded."""
    image = Image.open(io.BytesIO(data))
    width, height = image.size
    try:
        turned = image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)
    except Exception:  # a damaged EXIF block: the worker's decode settles it
        turned = False
    return (height, width) if turned else (width, height)


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
