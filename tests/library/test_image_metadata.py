"""Nothing a camera or an author embedded survives in any stored image file; animations are
bounded by frames and pixels, and an upload never decodes them frame by frame."""

import io

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageCms, ImageSequence, PngImagePlugin

from library.models import Image
from library.services import image_renditions_make
from tests.factories import make_staff, make_upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:library_image_add")
SECRET = "<script>alert(1)</script> 1 Secret Lane"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    f'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{SECRET}"/></rdf:RDF></x:xmpmeta>'
)


@pytest.fixture
def editors_client(client):
    client.force_login(make_staff("ed", groups=["Editors"]))
    return client


def _icc_with_text():
    """A working sRGB profile with the secret appended inside its declared size."""
    data = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes() + SECRET.encode()
    return len(data).to_bytes(4, "big") + data[4:]


def _exif():
    exif = PILImage.Exif()
    exif[0x013B] = SECRET  # Artist
    exif[0x010F] = "Camera maker"
    return exif.tobytes()


def _gif_sub_blocks(payload):
    chunks = [payload[i : i + 255] for i in range(0, len(payload), 255)]
    return b"".join(bytes([len(c)]) + c for c in chunks) + b"\0"


def _gif_with_everything():
    """Two frames, a comment, an XMP and an ICC application extension, a plain-text block and
    data after the trailer: every place a GIF can carry text."""
    frames = [PILImage.new("RGB", (40, 30), colour) for colour in ((200, 0, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], comment=SECRET, duration=120, loop=0
    )
    data = out.getvalue()
    extensions = (
        b"\x21\xff\x0bXMP DataXMP" + _gif_sub_blocks(XMP.encode())
        + b"\x21\xff\x0bICCRGBG1012" + _gif_sub_blocks(_icc_with_text())
        + b"\x21\x01" + _gif_sub_blocks(bytes(12) + SECRET.encode())
    )  # fmt: skip
    start = 13 + 3 * 2 ** ((data[10] & 7) + 1)  # after the global colour table
    comment = b"\x21\xfe" + _gif_sub_blocks(SECRET.encode())
    return data[:start] + extensions + data[start:-1] + comment + b"\x3b" + SECRET.encode()


def _with_everything(fmt):
    picture = PILImage.new("RGB", (64, 48), (200, 30, 30))
    out = io.BytesIO()
    if fmt == "JPEG":
        picture.save(
            out,
            "JPEG",
            exif=_exif(),
            icc_profile=_icc_with_text(),
            xmp=XMP.encode(),
            comment=SECRET,
        )
    elif fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", SECRET)
        text.add_text("Comment", SECRET, zip=True)
        text.add_itxt("XML:com.adobe.xmp", XMP)
        picture.save(out, "PNG", pnginfo=text, exif=_exif(), icc_profile=_icc_with_text())
    elif fmt == "WEBP":
        picture.save(out, "WEBP", exif=_exif(), icc_profile=_icc_with_text(), xmp=XMP.encode())
    else:
        return _gif_with_everything()
    return out.getvalue()


def _embedded(data):
    """What a file carries besides its pixels, as Pillow reads it (every frame)."""
    found = set()
    if SECRET.encode() in data:
        found.add("the secret, in the bytes")
    with PILImage.open(io.BytesIO(data)) as picture:
        if picture.getexif():
            found.add("EXIF")
        for frame in ImageSequence.Iterator(picture):
            for key, value in frame.info.items():
                if key in {"icc_profile", "exif", "xmp", "comment", "XML:com.adobe.xmp"}:
                    found.add(key)
                text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                if SECRET in text:
                    found.add(f"the secret, in {key}")
    return found


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_nothing_embedded_is_kept_in_the_stored_original_or_its_renditions(
    editors_client, fmt, django_capture_on_commit_callbacks
):
    upload = _with_everything(fmt)
    assert _embedded(upload)  # the upload really carries it
    name = f"upload.{fmt.lower()}"
    with django_capture_on_commit_callbacks(execute=True):
        response = editors_client.post(ADD, {"file": make_upload(name, upload), "alt": "Red"})
    assert response.status_code == 302
    image = Image.objects.get()
    with image.file.open("rb") as stored:
        assert _embedded(stored.read()) == set()
    image_renditions_make(image_id=image.pk, name=image.file.name)
    image.refresh_from_db()
    paths = [image.renditions["share"]["path"]]
    for source in image.renditions["sources"]:
        paths += [source["webp"], source["fallback"]]
    for path in paths:
        with image.storage.open(path, "rb") as rendition:
            assert _embedded(rendition.read()) == set(), path


def test_a_photo_in_another_colour_space_keeps_its_colours_without_its_profile():
    from library.images import image_clean

    wide = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB"))  # any profile but sRGB
    lab_red = PILImage.new("LAB", (8, 8), (138, 208, 195))
    picture = ImageCms.profileToProfile(
        lab_red, wide, ImageCms.createProfile("sRGB"), outputMode="RGB"
    )
    out = io.BytesIO()
    picture.save(out, "PNG", icc_profile=_icc_with_text())
    stored = image_clean(out.getvalue()).data
    assert "icc_profile" not in PILImage.open(io.BytesIO(stored)).info
    red, green, blue = PILImage.open(io.BytesIO(stored)).convert("RGB").getpixel((0, 0))
    assert red > 200 and green < 80 and blue < 80


def test_a_cleaned_gif_keeps_its_frames_timing_and_loop():
    from library.images import image_clean

    original = _gif_with_everything()
    stored = image_clean(original).data
    frames = [
        (frame.info.get("duration"), frame.convert("RGBA").tobytes())
        for frame in ImageSequence.Iterator(PILImage.open(io.BytesIO(stored)))
    ]
    expected = [
        (frame.info.get("duration"), frame.convert("RGBA").tobytes())
        for frame in ImageSequence.Iterator(PILImage.open(io.BytesIO(original)))
    ]
    assert frames == expected and len(frames) == 2
    assert PILImage.open(io.BytesIO(stored)).info["loop"] == 0


def _animation(frames, side):
    # A different grey per frame: Pillow would merge identical frames into one.
    pictures = [PILImage.new("L", (side, side), n % 256) for n in range(frames)]
    out = io.BytesIO()
    pictures[0].save(out, "GIF", save_all=True, append_images=pictures[1:])
    return out.getvalue()


@pytest.mark.parametrize(
    ("frames", "side", "message"),
    [
        (60, 4000, "60 frames of 4000 x 4000 pixels: too many pixels in all"),
        (201, 16, "This animation has 201 frames; the limit is 200."),
    ],
    ids=["the probe's 60 frames of 4000 x 4000", "too many frames"],
)
def test_an_animation_over_the_limits_is_refused_with_a_clear_message(
    editors_client, media_root, frames, side, message
):
    upload = make_upload("animated.gif", _animation(frames, side))
    response = editors_client.post(ADD, {"file": upload, "alt": "Moving"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()
    assert not any(path.is_file() for path in media_root.rglob("*"))


def test_an_animation_within_the_limits_is_stored_as_uploaded_frames_and_all(editors_client):
    data = _animation(40, 300)
    response = editors_client.post(ADD, {"file": make_upload("ok.gif", data), "alt": "Moving"})
    assert response.status_code == 302
    with Image.objects.get().file.open("rb") as stored:
        assert PILImage.open(stored).n_frames == 40


@pytest.mark.parametrize("fmt", ["JPEG", "GIF"])
def test_a_picture_kept_for_the_next_submit_is_kept_without_its_metadata(
    editors_client, media_root, fmt
):
    upload = make_upload(f"kept.{fmt.lower()}", _with_everything(fmt))
    response = editors_client.post(ADD, {"file": upload, "title": "No alt text yet"})
    assert "Describe the image" in response.content.decode()  # the form again, file kept
    kept = [path for path in (media_root / "pending-uploads").iterdir() if path.is_file()]
    assert len(kept) == 1
    assert _embedded(kept[0].read_bytes()) == set()
