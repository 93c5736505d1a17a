"""Drawing library images: the <picture> of an image, and images in rich text expanded from
their references, read from the image rows alone (no file is ever opened by a page)."""

from django.template.loader import render_to_string
from django.utils.html import format_html

from library.models import Image
from library.references import body_image_ids, body_image_refs


def picture_context(image, *, alt=None, sizes="100vw", lazy=True, css_class=""):
    """What includes/picture.html needs to draw a library image, read from its row alone.

    WebP first, then the JPEG/PNG fallback, from the renditions recorded on the image; until
    they exist (they are made in the background) the original, with its width and height so
    the browser scales it without the page jumping. No query, no file read.
    """
    context = {
        "alt": image.alt_text if alt is None else alt,
        "sizes": sizes,
        "lazy": lazy,
        "css_class": css_class,
    }
    if image is None or not image.is_ready:
        # An upload still being processed (or that failed) is stored as it came, metadata
        # and all: readers get no picture rather than that file.
        return {**context, "src": ""}
    sources = image.sources
    if not sources:
        return {**context, "src": image.file.url, "width": image.width, "height": image.height}
    url = image.storage.url
    largest = sources[-1]
    return {
        **context,
        "src": url(largest["fallback"]),
        "width": largest["w"],
        "height": largest["h"],
        "fallback_type": image.current_renditions.get("fallback_type", "image/jpeg"),
        "webp_srcset": ", ".join(f"{url(s['webp'])} {s['w']}w" for s in sources),
        "fallback_srcset": ", ".join(f"{url(s['fallback'])} {s['w']}w" for s in sources),
    }


BODY_IMAGE_SIZES = {
    "full": "(min-width: 48rem) 46rem, 100vw",
    "half": "(min-width: 48rem) 23rem, 50vw",
}


def body_images_load(texts):
    """{id: Image} for every library image the sanitised `texts` reference: one query."""
    ids = {pk for html in texts for pk in body_image_ids(html)}
    return Image.objects.in_bulk(ids) if ids else {}


def body_images_render(html, images=None):
    """Expand each library reference in sanitised rich text into its <picture>.

    One query for all the images of a text, whatever their number (none when `images`,
    from body_images_load, is given for many texts at once); a reference to an image that
    no longer exists disappears.
    """

    def picture(image, alt, size):
        return render_to_string(
            "includes/picture.html",
            picture_context(
                image,
                alt=alt,
                sizes=BODY_IMAGE_SIZES[size],
                lazy=True,
                css_class=f"body-image body-image--{size}",
            ),
        )

    return _body_images_replace(html, images, picture)


def body_images_plain(html, images=None):
    """Each library reference as one plain <img> (its largest JPEG/PNG, with its size): for
    feed readers, which drop <picture> and <source> and know no `sizes`."""

    def plain(image, alt, _size):
        context = picture_context(image, alt=alt)
        size = ""
        if context.get("width"):
            size = format_html(' width="{}" height="{}"', context["width"], context["height"])
        return format_html('<img src="{}" alt="{}"{}>', context["src"], context["alt"], size)

    return _body_images_replace(html, images, plain)


def _body_images_replace(html, images, render):
    """`html` with each library reference replaced by `render(image, alt, size)`; a
    reference to an image that no longer exists (or has no file, or is not processed yet)
    disappears."""
    refs = body_image_refs(html)
    if not refs:
        return html
    if images is None:
        images = body_images_load([html])
    out, last = [], 0
    for match, pk, alt, size in refs:
        out.append(html[last : match.start()])
        image = images.get(pk)
        if image is not None and image.is_ready:
            out.append(render(image, alt, size))
        last = match.end()
    out.append(html[last:])
    return "".join(out)
