"""Files for the demo content made in code: real multi-page PDFs and a drawn hero image."""

import io
import textwrap

from PIL import Image, ImageDraw


def _pdf_string(text):
    encoded = text.encode("cp1252", errors="replace")
    return b"(" + encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(pages, title=""):
    """Return the bytes of a valid PDF with one page per item of `pages` (each a list of
    paragraphs), set in Helvetica so that text extraction finds the words again."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Title " + _pdf_string(title) + b" /Producer (ktnsite) >>",
    }
    kids = []
    for index, paragraphs in enumerate(pages):
        page_id, content_id = 5 + 2 * index, 6 + 2 * index
        lines = []
        for paragraph in paragraphs:
            lines.extend(textwrap.wrap(paragraph, 85) or [""])
            lines.append("")
        stream = b"BT /F1 11 Tf 56 790 Td 15 TL\n"
        stream += b"".join(_pdf_string(line) + b" '\n" for line in lines[:48]) + b"ET"
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id
        )
        objects[content_id] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        kids.append(b"%d 0 R" % page_id)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number in range(1, max(objects) + 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(offsets) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def make_hero_image(width=1600, height=900, liquid=(37, 99, 235), seed_offset=0):
    """A drawn stand-in photo: a production line carrying vials of coloured liquid."""
    image = Image.new("RGB", (width, height), (226, 232, 240))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # soft vertical gradient for the factory wall
        shade = 235 - int(40 * y / height)
        draw.line([(0, y), (width, y)], fill=(shade, shade + 3, shade + 8))
    belt_top = int(height * 0.68)
    draw.rectangle([0, belt_top, width, belt_top + 40], fill=(71, 85, 105))
    draw.rectangle([0, belt_top + 40, width, height], fill=(148, 163, 184))
    vial_w, gap = 70, 48
    for i, x in enumerate(range(40 + seed_offset % 60, width, vial_w + gap)):
        top = belt_top - 230
        draw.rectangle(
            [x, top + 60, x + vial_w, belt_top],
            fill=(241, 245, 249),
            outline=(100, 116, 139),
            width=3,
        )
        level = top + 110 + (i * 17 % 40)
        draw.rectangle([x + 4, level, x + vial_w - 4, belt_top - 4], fill=liquid)
        draw.rectangle([x - 4, top + 30, x + vial_w + 4, top + 60], fill=(203, 213, 225))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()
