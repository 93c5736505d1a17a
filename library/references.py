"""Library images in rich text: the reference format, `<img data-image="ID" alt="…" class="full">`,
and reading the references out of a sanitised text."""

import re
from html import unescape

# nh3 writes every attribute double-quoted with <, > and " escaped, so on its output an
# <img> tag ends at the first ">" and an attribute value at the first '"'.
IMG_TAG = re.compile(r"<img\b[^>]*>")
IMAGE_ID = re.compile(r'\sdata-image="(\d{1,18})"')
IMAGE_ALT = re.compile(r'\salt="([^"]*)"')
IMAGE_HALF = re.compile(r'\sclass="[^"]*\bhalf\b')


def body_image_refs(html):
    """[(match, image id, alt or None, "half" | "full")] for each image reference in
    sanitised `html`; alt is None when the reference has none (the library's is used)."""
    refs = []
    for match in IMG_TAG.finditer(html or ""):
        tag = match.group(0)
        found = IMAGE_ID.search(tag)
        if not found:
            continue
        alt = IMAGE_ALT.search(tag)
        size = "half" if IMAGE_HALF.search(tag) else "full"
        refs.append((match, int(found.group(1)), unescape(alt.group(1)) if alt else None, size))
    return refs


def body_image_ids(html):
    """The library images a sanitised rich text references, in order of appearance."""
    return [ref[1] for ref in body_image_refs(html)]
